// The set of open Space documents: the active Space plus a few recently used ones (LRU). Opening
// a Space beyond that closes the least recently used one, its handle and its attachments.
import type * as Y from 'yjs';
import type { CodecScope } from './codecs.ts';
import { awaitFirstSync, DEFAULT_FIRST_SYNC_TIMEOUT_MS } from './first-sync.ts';
import type { Space } from './space.ts';

/** A document opened by the kit's composition root (with persistence and sync attached). */
export interface OpenedDoc {
  readonly doc: Y.Doc;
  /** Settles when local data is loaded (never waits for the network). */
  readonly whenLoaded: Promise<void>;
  /** With a remote source: settles once the document first caught up with it. */
  whenRemoteSynced?(): Promise<void>;
  /** Settles when every write made so far is stored on this device (when persisted). */
  whenSaved?(): Promise<void>;
  /** Replaces the stored history by one update of the current state (when persisted). */
  compact?(): Promise<void>;
  /** Detaches everything and destroys the document. */
  close(): Promise<void>;
}

/** Opens a document; the store never knows how (IndexedDB, WebSocket, memory). */
export type DocOpener = (ref: CodecScope) => OpenedDoc;

interface Entry {
  readonly opened: OpenedDoc;
  readonly ready: Promise<Space>;
  space?: Space;
  closed: boolean;
}

export class OpenSpaces {
  /** Insertion order is recency: a touched entry moves to the end. */
  readonly #entries = new Map<string, Entry>();
  #activeId: string | undefined;

  constructor(
    private readonly opener: DocOpener,
    private readonly makeSpace: (id: string, doc: Y.Doc) => Space,
    /** How many Spaces besides the active one stay open. */
    private readonly recent: number,
    /** The bound on waiting for a remote source before a Space with no local data is set up. */
    private readonly firstSyncTimeoutMs: number = DEFAULT_FIRST_SYNC_TIMEOUT_MS,
  ) {}

  /**
   * The open Space (loaded), marking it recently used; opens it when needed. A Space this device
   * has no data for waits for its remote source first (bounded), unless `created` says it was
   * just made here, so nobody else can have data for it.
   */
  open(spaceId: string, options: { created?: boolean } = {}): Promise<Space> {
    const existing = this.#entries.get(spaceId);
    if (existing) {
      this.#entries.delete(spaceId);
      this.#entries.set(spaceId, existing);
      return existing.ready;
    }

    const opened = this.opener({ kind: 'space', id: spaceId });
    const entry: Entry = { opened, closed: false, ready: undefined as unknown as Promise<Space> };
    (entry as { ready: Promise<Space> }).ready = opened.whenLoaded.then(
      async () => {
        if (!options.created) await awaitFirstSync(opened, this.firstSyncTimeoutMs);
        if (entry.closed) throw new Error(`Space "${spaceId}" was closed while it was loading`);
        entry.space = this.makeSpace(spaceId, opened.doc);
        return entry.space;
      },
      (error: unknown) => {
        void this.close(spaceId);
        throw error;
      },
    );
    this.#entries.set(spaceId, entry);
    this.#evict(spaceId);
    return entry.ready;
  }

  /** Marks the active Space: it is never evicted. */
  setActive(spaceId: string): void {
    this.#activeId = spaceId;
    this.#evict(spaceId);
  }

  /** The loaded Space handle, if open. */
  get(spaceId: string): Space | undefined {
    return this.#entries.get(spaceId)?.space;
  }

  /** The Y.Doc of an open Space (loaded or still loading). */
  doc(spaceId: string): Y.Doc | undefined {
    return this.#entries.get(spaceId)?.opened.doc;
  }

  /** The opened document of a Space (with its attachments), if open. */
  opened(spaceId: string): OpenedDoc | undefined {
    return this.#entries.get(spaceId)?.opened;
  }

  /** Ids of the open Spaces, least recently used first. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  /** Closes one Space: its handle rejects writes, its attachments and document are destroyed. */
  async close(spaceId: string): Promise<void> {
    const entry = this.#entries.get(spaceId);
    if (!entry || entry.closed) return;
    entry.closed = true;
    this.#entries.delete(spaceId);
    entry.space?.destroy();
    await entry.opened.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.ids().map((id) => this.close(id)));
  }

  #evict(keep: string): void {
    for (const id of this.ids()) {
      if (this.#entries.size <= this.recent + 1) return;
      if (id === keep || id === this.#activeId) continue;
      void this.close(id);
    }
  }
}
