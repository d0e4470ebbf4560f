// A minimal y-websocket client for server tests, built from y-protocols and ws: sync, the
// `stored` message, reconnects with a fresh ticket, and optional chaos (drop, delay, reorder)
// on both directions. The kit's real client lives in src/sync.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { getTicket } from './server-harness.ts';

/** Chaos applied to each message; `random` must be a seeded PRNG for reproducible runs. */
export interface Chaos {
  random: () => number;
  /** Probability that a message is silently dropped. */
  drop: number;
  /** Largest random delay per message, in ms; different delays reorder messages. */
  maxDelayMs: number;
}

const remote = Symbol('remote');

export class TestSyncClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** The last `stored` state vector the server sent. */
  storedVector: Map<number, number> = new Map();
  ws: WebSocket | undefined;
  chaos: Chaos | undefined;
  lastClose: { code: number; reason: string } | undefined;
  readonly #server: { url: string; wsUrl: string };
  readonly #token: string;
  readonly #room: string;
  #pendingTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(server: { url: string; wsUrl: string }, token: string, room: string) {
    this.#server = server;
    this.#token = token;
    this.#room = room;
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === remote) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      this.#send(encoding.toUint8Array(encoder));
    });
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connects with a fresh ticket; resolves when open (false if closed first). */
  async connect(): Promise<boolean> {
    const ticket = await getTicket(this.#server.url, this.#token);
    const ws = new WebSocket(`${this.#server.wsUrl}/${this.#room}?ticket=${ticket}`);
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => this.#deliver(new Uint8Array(data), ws));
    ws.once('close', (code, reason) => {
      this.lastClose = { code, reason: reason.toString() };
    });
    return new Promise<boolean>((resolve) => {
      ws.once('open', () => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.writeSyncStep1(encoder, this.doc);
        ws.send(encoding.toUint8Array(encoder));
        resolve(true);
      });
      ws.once('close', () => resolve(false));
    });
  }

  /** Closes the socket and drops messages still held back by chaos. */
  async disconnect(): Promise<void> {
    for (const timer of this.#pendingTimers) clearTimeout(timer);
    this.#pendingTimers.clear();
    const ws = this.ws;
    this.ws = undefined;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
  }

  /** Whether the server has stored everything this client has (saved on the server). */
  get saved(): boolean {
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      if ((this.storedVector.get(client) ?? 0) < clock) return false;
    }
    return true;
  }

  destroy(): void {
    void this.disconnect();
    this.awareness.destroy();
    this.doc.destroy();
  }

  #send(message: Uint8Array): void {
    this.#withChaos(() => {
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(message);
    });
  }

  #deliver(message: Uint8Array, from: WebSocket): void {
    this.#withChaos(() => {
      if (this.ws === from) this.#receive(message);
    });
  }

  #withChaos(action: () => void): void {
    const chaos = this.chaos;
    if (chaos === undefined) return action();
    if (chaos.random() < chaos.drop) return;
    const timer = setTimeout(
      () => {
        this.#pendingTimers.delete(timer);
        action();
      },
      Math.floor(chaos.random() * chaos.maxDelayMs),
    );
    this.#pendingTimers.add(timer);
  }

  #receive(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.readSyncMessage(decoder, encoder, this.doc, remote);
      // Only a step 1 produces a reply (step 2).
      if (encoding.length(encoder) > 1) this.#send(encoding.toUint8Array(encoder));
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(
        this.awareness,
        decoding.readVarUint8Array(decoder),
        remote,
      );
    } else if (type === 100) {
      this.storedVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    }
  }
}
