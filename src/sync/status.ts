// The sync status of one open document: its connection state and the two save levels. Several
// attachments feed one status object per document (the server attachment the connection state
// and "saved on the server", the persistence attachment "saved on this device"), so it is found
// through the document itself with `docStatus(doc)` and lives exactly as long as the document.
import type * as Y from 'yjs';

/**
 * Connection state of a document, a small state machine:
 *
 * ```
 * offline --connect--> connecting --socket open--> syncing --server state received--> synced
 *    ^                     |                          |                                 |
 *    +---- close / network error / browser offline <--+---------------------------------+
 * any state --close 4401/4403 or HTTP 401/403 for a ticket--> revoked (no reconnect)
 * ```
 *
 * `revoked` is left only by an explicit `reconnect()` (the host provides new credentials).
 */
export const ConnectionState = {
  /**
   * Not connected and not trying right now (no network, waiting for the next attempt, no server).
   */
  offline: 'offline',
  /** Fetching a ticket or opening the WebSocket. */
  connecting: 'connecting',
  /** Connected; the server's state has not fully arrived yet. */
  syncing: 'syncing',
  /** Connected and caught up with the server; changes flow live. */
  synced: 'synced',
  /** The server refused us (4401 unauthenticated / 4403 forbidden): access revoked. */
  revoked: 'revoked',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** A snapshot of a document's sync status. */
export interface DocStatusSnapshot {
  readonly connection: ConnectionState;
  /** Every local change is in this device's storage (IndexedDB transaction complete). */
  readonly savedLocally: boolean;
  /** Every change in the local document is durably stored by the server. */
  readonly savedOnServer: boolean;
  /** The close code (4401/4403) or HTTP status (401/403) that revoked access, else null. */
  readonly revokedCode: number | null;
}

/** Thrown into pending `when…` promises when they can no longer be satisfied. */
export class SyncInterruptedError extends Error {
  override readonly name = 'SyncInterruptedError';
  constructor(
    message: string,
    /** Why: the document closed, the server revoked access, or the server attachment detached. */
    readonly reason: 'closed' | 'revoked' | 'detached',
  ) {
    super(message);
  }
}

type Listener = (status: DocStatusSnapshot) => void;

interface Waiter {
  readonly done: (status: DocStatusSnapshot) => boolean;
  /** Depends on the server (interrupted when the server attachment detaches or is revoked). */
  readonly serverSide: boolean;
  resolve(): void;
  reject(error: Error): void;
}

const initialStatus: DocStatusSnapshot = Object.freeze({
  connection: ConnectionState.offline,
  savedLocally: false,
  savedOnServer: false,
  revokedCode: null,
});

/** The observable sync status of one document. Create it through `docStatus(doc)`. */
export class DocStatus {
  #current: DocStatusSnapshot = initialStatus;
  #listeners = new Set<Listener>();
  #waiters = new Set<Waiter>();
  #destroyed = false;

  /** The current status. */
  get current(): DocStatusSnapshot {
    return this.#current;
  }

  /** True after the document closed; updates are ignored from then on. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Merges `partial` into the status and notifies subscribers when something changed. */
  update(partial: Partial<DocStatusSnapshot>): void {
    if (this.#destroyed) return;
    const next = { ...this.#current, ...partial };
    const keys = Object.keys(next) as (keyof DocStatusSnapshot)[];
    if (keys.every((key) => next[key] === this.#current[key])) return;
    this.#current = Object.freeze(next);

    for (const waiter of [...this.#waiters]) {
      if (waiter.done(this.#current)) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
    if (this.#current.connection === ConnectionState.revoked) {
      this.interrupt(new SyncInterruptedError('Access to the document was revoked', 'revoked'));
    }
    for (const listener of [...this.#listeners]) listener(this.#current);
  }

  /** Calls `listener` on every change (not immediately). Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (this.#destroyed) return () => {};
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Number of current subscribers (lets tests prove that destroy leaves none). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * Settles once the document is caught up with the server. Rejects with SyncInterruptedError
   * when access is revoked, the server attachment detaches or the document closes.
   */
  whenSynced(): Promise<void> {
    return this.#when((status) => status.connection === ConnectionState.synced);
  }

  /** Settles once every local change is stored by the server; rejects like `whenSynced`. */
  whenSavedOnServer(): Promise<void> {
    return this.#when((status) => status.savedOnServer);
  }

  /** Settles once every local change is in this device's storage; rejects when the doc closes. */
  whenSavedLocally(): Promise<void> {
    return this.#when((status) => status.savedLocally, false);
  }

  /**
   * Rejects the pending server-side waiters with `error` (`whenSynced`, `whenSavedOnServer`),
   * e.g. when the server attachment detaches while the document stays open.
   */
  interrupt(error: Error): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.serverSide) continue;
      this.#waiters.delete(waiter);
      waiter.reject(error);
    }
  }

  /** Rejects every pending waiter and drops all subscribers. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const error = new SyncInterruptedError('The document was closed', 'closed');
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
    this.#listeners.clear();
  }

  #when(done: (status: DocStatusSnapshot) => boolean, serverSide = true): Promise<void> {
    if (this.#destroyed) {
      return Promise.reject(new SyncInterruptedError('The document was closed', 'closed'));
    }
    if (done(this.#current)) return Promise.resolve();
    if (serverSide && this.#current.connection === ConnectionState.revoked) {
      return Promise.reject(
        new SyncInterruptedError('Access to the document was revoked', 'revoked'),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiters.add({ done, serverSide, resolve, reject });
    });
  }
}

const statuses = new WeakMap<Y.Doc, DocStatus>();

/**
 * The status object of `doc`, created on first use and destroyed with the document. Every
 * attachment of the same document gets the same object.
 */
export function docStatus(doc: Y.Doc): DocStatus {
  if (doc === null || typeof doc !== 'object' || typeof doc.on !== 'function') {
    throw new TypeError('doc must be a Y.Doc');
  }
  let status = statuses.get(doc);
  if (!status) {
    const created = new DocStatus();
    statuses.set(doc, created);
    doc.on('destroy', () => created.destroy());
    status = created;
  }
  return status;
}
