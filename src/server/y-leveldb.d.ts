// y-leveldb ships its types outside its package `exports`, so TypeScript cannot find them.
// This declares the part of its API the server uses.
declare module 'y-leveldb' {
  import type * as Y from 'yjs';

  export class LeveldbPersistence {
    constructor(location: string, options?: { levelOptions?: object });
    getYDoc(docName: string): Promise<Y.Doc>;
    storeUpdate(docName: string, update: Uint8Array): Promise<number>;
    flushDocument(docName: string): Promise<void>;
    destroy(): Promise<void>;
  }
}
