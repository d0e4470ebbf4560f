// How the kit connects a document to the outside world (IndexedDB, the sync server) without the
// store knowing either: the kit attaches each opened document to every configured attachment and
// destroys the attachments when the document closes (evicted from the open set, or kit.destroy()).
import type * as Y from 'yjs';

/** Which document: a Space's, or the user-level one. */
export interface DocRef {
  readonly kind: 'space' | 'user';
  readonly id: string;
}

/** One attachment's hold on one open document. */
export interface AttachedDoc {
  /**
   * Settles when the attachment delivered what it has (local data loaded; never blocks on network).
   */
  readonly whenLoaded: Promise<void>;
  /**
   * For a remote source: settles once the document caught up with it for the first time. The
   * store waits for it (bounded) before bootstrapping a document it has no local data for.
   */
  whenRemoteSynced?(): Promise<void>;
  /** For local storage: settles once every change made so far is stored (saved on this device). */
  whenSaved?(): Promise<void>;
  /** For local storage: replaces the stored history by one update of the current state. */
  compact?(): Promise<void>;
  /** Detaches and releases resources; idempotent. */
  destroy(): Promise<void>;
}

export interface DocAttachment {
  attach(doc: Y.Doc, ref: DocRef): AttachedDoc;
}
