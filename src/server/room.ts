// A room: one loaded Yjs document, its awareness, and the connections editing it. Updates from
// writers are applied, relayed and queued; a queued batch is stored once per tick, and only
// after the write resolves do the room's connections hear `stored` (saved on the server).
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { canWrite, type Role } from '../model/space.ts';
import type { Metrics } from './metrics.ts';
import type { Logger } from './options.ts';
import {
  encodeAwareness,
  encodeStored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MalformedFrameError,
  type ClientMessage,
} from './protocol.ts';
import type { DocumentStore } from './storage.ts';

/** A connection as the room sees it. */
export interface Peer {
  readonly userId: string;
  /** Current role; updated live when an owner or admin changes it. */
  role: Role;
  /** Awareness client ids this connection has announced, removed when it leaves. */
  readonly awarenessIds: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

// A connection may speak for a few awareness clients (a tab reconnecting keeps its old id for a
// while), but not for an unbounded number.
const maxAwarenessIdsPerPeer = 16;
const retryStoreMs = 1000;

export interface RoomDependencies {
  documents: DocumentStore;
  metrics: Metrics;
  log: Logger;
}

export class Room {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<Peer>();
  /** Connections authorised for this room whose handshake is still running. */
  joining = 0;

  readonly #deps: RoomDependencies;
  #pending: Uint8Array[] = [];
  #storedVector: Uint8Array;
  #flushScheduled = false;
  #flushing: Promise<void> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;

  /** `doc` is the document as loaded from storage, so all of it counts as stored. */
  constructor(name: string, doc: Y.Doc, deps: RoomDependencies) {
    this.name = name;
    this.doc = doc;
    this.#deps = deps;
    this.#storedVector = Y.encodeStateVector(doc);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    doc.on('update', this.#onUpdate);
    this.awareness.on('update', this.#onAwarenessUpdate);
  }

  /** Whether updates are waiting to be stored. */
  get hasPendingWrites(): boolean {
    return this.#pending.length > 0 || this.#flushing !== undefined;
  }

  /** Adds an authorised connection and starts the sync handshake. */
  add(peer: Peer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    peer.send(encodeStored(this.#storedVector));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) {
      peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
    }
  }

  /** Removes a connection and the presence it announced. */
  remove(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    const ids = [...peer.awarenessIds].filter(
      (id) => ![...this.peers].some((other) => other.awarenessIds.has(id)),
    );
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
  }

  /** Applies one decoded message from `peer`. Throws MalformedFrameError for bad content. */
  receive(peer: Peer, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step1':
        peer.send(encodeSyncStep2(this.doc, message.stateVector));
        return;
      case 'update':
        // Viewers read; their updates are dropped: not applied, stored or relayed.
        if (!canWrite(peer.role)) return;
        try {
          Y.applyUpdate(this.doc, message.update, peer);
        } catch {
          throw new MalformedFrameError('update could not be applied');
        }
        return;
      case 'awareness':
        // Limit: awareness ids are not bound to users; a member could overwrite another
        // connection's presence in the same room.
        for (const id of message.clientIds) peer.awarenessIds.add(id);
        if (peer.awarenessIds.size > maxAwarenessIdsPerPeer) {
          throw new MalformedFrameError('too many awareness clients');
        }
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, peer);
        return;
      case 'query-awareness': {
        const states = [...this.awareness.getStates().keys()];
        peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
        return;
      }
    }
  }

  /** Stores every pending update; resolves when they are stored or the write failed. */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    if (this.#pending.length === 0) return;
    this.#flushing = this.#store();
    try {
      await this.#flushing;
    } finally {
      this.#flushing = undefined;
    }
  }

  /** Stops listening and frees the document; call after the last peer left and flush(). */
  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#retryTimer);
    this.doc.off('update', this.#onUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  async #store(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    // Every update applied so far is in this batch or in an earlier, stored one.
    const vector = Y.encodeStateVector(this.doc);
    const started = performance.now();
    try {
      await this.#deps.documents.appendUpdate(this.name, Y.mergeUpdates(batch));
    } catch (error) {
      this.#pending = batch.concat(this.#pending);
      this.#deps.log({ event: 'store-error', room: this.name, error: String(error) });
      if (!this.#destroyed) {
        this.#retryTimer = setTimeout(() => this.#scheduleFlush(), retryStoreMs);
      }
      return;
    }
    this.#deps.metrics.observeStoreLatency((performance.now() - started) / 1000);
    this.#storedVector = vector;
    const stored = encodeStored(vector);
    for (const peer of this.peers) peer.send(stored);
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled || this.#destroyed) return;
    this.#flushScheduled = true;
    // One write per tick: updates arriving together are stored as one batch.
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.flush();
    });
  }

  readonly #onUpdate = (update: Uint8Array, origin: unknown): void => {
    const message = encodeUpdate(update);
    for (const peer of this.peers) {
      if (peer !== origin) peer.send(message);
    }
    this.#pending.push(update);
    this.#scheduleFlush();
  };

  readonly #onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    const message = encodeAwareness(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
    );
    for (const peer of this.peers) {
      if (peer !== origin) peer.send(message);
    }
  };
}
