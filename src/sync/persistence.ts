// The IndexedDB attachment: every opened document is persisted with y-indexeddb in a database
// of its own, named by storage prefix, user and document, so two users of one origin (or two kit
// instances with different prefixes) never share data.
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { AttachedDoc, DocAttachment, DocRef } from './attachment.ts';
import { docStatus } from './status.ts';

/** The IndexedDB database name of a document. */
export function databaseName(prefix: string, userId: string, ref: DocRef): string {
  return ref.kind === 'user' ? `${prefix}:${userId}:user` : `${prefix}:${userId}:space:${ref.id}`;
}

/** An attached document that can also tell when its writes reached IndexedDB. */
export interface PersistedDoc extends AttachedDoc {
  /** The IndexedDB database holding the document. */
  readonly databaseName: string;
  /**
   * Settles once every update made before the call is committed to IndexedDB ("saved on this
   * device"). Resolves at once after destroy.
   */
  whenSaved(): Promise<void>;
  /**
   * Replaces every stored update by one update of the document's current state. Yjs has already
   * dropped the content of deleted and overwritten values (garbage collection), so afterwards no
   * stored update still holds them: the at-rest sweep calls this after sealing plaintext.
   */
  compact(): Promise<void>;
}

export class IndexeddbAttachment implements DocAttachment {
  constructor(
    private readonly prefix: string,
    private readonly userId: string,
  ) {}

  attach(doc: Y.Doc, ref: DocRef): PersistedDoc {
    const name = databaseName(this.prefix, this.userId, ref);
    const persistence = new IndexeddbPersistence(name, doc);
    let destroyed: Promise<void> | undefined;

    const attached: PersistedDoc = {
      databaseName: name,
      // Limit: y-indexeddb never rejects whenSynced when the database fails to open, so a broken
      // IndexedDB leaves this pending; the kit's callers time out on their own.
      whenLoaded: persistence.whenSynced.then(() => undefined),
      whenSaved: () => {
        const db = persistence.db;
        if (destroyed || !db) return persistence.whenSynced.then(() => undefined);
        // Read-write transactions on one store commit in creation order, so an empty one
        // completes only after every update y-indexeddb queued before it.
        return new Promise<void>((resolve, reject) => {
          const transaction = db.transaction('updates', 'readwrite');
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
          transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB abort'));
        });
      },
      compact: async () => {
        await persistence.whenSynced;
        const db = persistence.db;
        if (destroyed || !db) return;
        await compactUpdates(db, Y.encodeStateAsUpdate(doc));
      },
      destroy: () => {
        doc.off('update', onUpdate);
        destroyed ??= persistence.destroy().then(() => undefined);
        return destroyed;
      },
    };

    // "Saved on this device" for the document's status: false from a change until IndexedDB
    // committed it. Only the newest change's commit may report true.
    const status = docStatus(doc);
    let changes = 0;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === persistence) return;
      const change = ++changes;
      status.update({ savedLocally: false });
      attached.whenSaved().then(
        () => {
          if (change === changes && !destroyed) status.update({ savedLocally: true });
        },
        () => undefined,
      );
    };
    doc.on('update', onUpdate);
    void persistence.whenSynced.then(() => {
      if (changes === 0 && !destroyed) status.update({ savedLocally: true });
    });
    return attached;
  }
}

/**
 * In one transaction: adds `state` and deletes every update stored before it. Updates y-indexeddb
 * adds meanwhile get higher keys and stay. (y-indexeddb's own storeState does not wait for its
 * deletion to finish, so the kit does this itself.)
 */
function compactUpdates(db: IDBDatabase, state: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const transaction = db.transaction('updates', 'readwrite');
    const store = transaction.objectStore('updates');
    const added = store.add(state);
    added.onsuccess = () => store.delete(IDBKeyRange.upperBound(added.result, true));
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB abort'));
  });
}
