// One authorised WebSocket in a room: rate limiting, strict decoding, and the guarantee that
// nothing a client sends can throw out of the server. Any bad frame closes only this socket.
import type { WebSocket } from 'ws';
import { CloseCode, type Role } from '../model/space.ts';
import { RefusalReason, type Metrics } from './metrics.ts';
import type { Logger } from './options.ts';
import { decodeClientMessage, MalformedFrameError } from './protocol.ts';
import { TokenBucket } from './rate-limit.ts';
import type { Peer, Room } from './room.ts';

// A client that does not read its socket must not make the server buffer without bound.
const maxBufferedBytes = 16 * 1024 * 1024;

export interface ConnectionDependencies {
  metrics: Metrics;
  log: Logger;
  messagesPerSecond: number;
  messageBurst: number;
  /** Called once when the socket has closed, after the room forgot it. */
  onClosed(connection: Connection): void;
}

export class Connection implements Peer {
  readonly userId: string;
  role: Role;
  readonly awarenessIds = new Set<number>();
  readonly room: Room;
  readonly #socket: WebSocket;
  readonly #bucket: TokenBucket;
  readonly #deps: ConnectionDependencies;
  #closing = false;

  constructor(
    socket: WebSocket,
    userId: string,
    role: Role,
    room: Room,
    deps: ConnectionDependencies,
  ) {
    this.#socket = socket;
    this.userId = userId;
    this.role = role;
    this.room = room;
    this.#deps = deps;
    this.#bucket = new TokenBucket(deps.messagesPerSecond, deps.messageBurst);

    socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    socket.on('error', (error: Error & { code?: string }) => this.#onError(error));
    socket.once('close', (code) => {
      this.room.remove(this);
      deps.log({ event: 'connection-closed', room: room.name, userId, code });
      deps.onClosed(this);
    });
    room.add(this);
  }

  send(message: Uint8Array): void {
    if (this.#closing || this.#socket.readyState !== this.#socket.OPEN) return;
    if (this.#socket.bufferedAmount > maxBufferedBytes) {
      this.close(CloseCode.rateLimited, 'not reading');
      return;
    }
    this.#deps.metrics.bytesOut += message.byteLength;
    this.#socket.send(message);
  }

  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.room.remove(this);
    this.#socket.close(code, reason);
    // A peer that ignores the close handshake is cut off.
    setTimeout(() => this.#socket.terminate(), 2000).unref();
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#closing) return;
    const frame = toBytes(data);
    this.#deps.metrics.bytesIn += frame?.byteLength ?? 0;

    if (!this.#bucket.take()) {
      this.#refuse(RefusalReason.rateLimited, CloseCode.rateLimited, 'rate limited');
      return;
    }
    if (!isBinary || frame === undefined || frame.byteLength === 0) {
      this.#refuse(RefusalReason.malformed, CloseCode.malformed, 'malformed frame');
      return;
    }
    try {
      this.room.receive(this, decodeClientMessage(frame));
    } catch (error) {
      const malformed = error instanceof MalformedFrameError;
      if (!malformed)
        this.#deps.log({ event: 'room-error', room: this.room.name, error: String(error) });
      this.#refuse(RefusalReason.malformed, CloseCode.malformed, 'malformed frame');
    }
  }

  #onError(error: Error & { code?: string }): void {
    // ws has already started closing with 1009 for an oversized frame (or 1002 for a
    // protocol violation); this only records why.
    const tooLarge = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
    this.#deps.metrics.refuse(tooLarge ? RefusalReason.frameTooLarge : RefusalReason.malformed);
    this.#deps.log({
      event: 'connection-error',
      room: this.room.name,
      userId: this.userId,
      code: error.code,
    });
    this.#closing = true;
    this.room.remove(this);
  }

  #refuse(reason: RefusalReason, code: number, text: string): void {
    this.#deps.metrics.refuse(reason);
    this.#deps.log({
      event: 'connection-refused',
      room: this.room.name,
      userId: this.userId,
      reason,
    });
    this.close(code, text);
  }
}

/**
 * A private copy of the frame: ws may hand out views into a larger buffer, and the decoders
 * must never see bytes beyond the frame.
 */
function toBytes(data: unknown): Uint8Array | undefined {
  if (Buffer.isBuffer(data)) return new Uint8Array(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data as Buffer[]));
  return undefined;
}
