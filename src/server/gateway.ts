// The WebSocket side: authorises each upgrade from one parse of its URL, loads and unloads
// rooms, and closes a member's sockets when their membership ends. A refused connection
// receives only a close frame: no document or presence byte.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode, Role } from '../model/space.ts';
import { Connection } from './connection.ts';
import { encodeMembershipChanged } from './protocol.ts';
import { RefusalReason, type Metrics } from './metrics.ts';
import type { ResolvedOptions } from './options.ts';
import { Room } from './room.ts';
import { parseRoomUrl, type RoomAddress } from './room-path.ts';
import type { DirectoryStore, DocumentStore } from './storage.ts';
import type { TicketBook } from './tickets.ts';

const { goingAway, internalError } = CloseCode;
const retryUnloadMs = 1000;

interface Join {
  spaceRoom: string;
  userId: string;
  role: Role | undefined;
}

class Refusal {
  constructor(
    readonly reason: RefusalReason,
    readonly code: number,
  ) {}
}

export interface GatewayDependencies {
  options: ResolvedOptions;
  tickets: TicketBook;
  documents: DocumentStore;
  directory: DirectoryStore;
  metrics: Metrics;
}

export class Gateway {
  readonly rooms = new Map<string, Room>();
  readonly connections = new Set<Connection>();
  readonly #loading = new Map<string, Promise<Room>>();
  readonly #perUser = new Map<string, number>();
  readonly #joins = new Set<Join>();
  readonly #wss: WebSocketServer;
  readonly #deps: GatewayDependencies;
  #closing = false;

  constructor(deps: GatewayDependencies) {
    this.#deps = deps;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.options.maxFrameBytes,
      perMessageDeflate: false,
    });
  }

  /**
   * The `upgrade` listener of the HTTP server. Never throws.
   * Limit: upgrades waiting for the directory are not capped; see docs/server.md.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.#upgrade(req, socket, head).catch(() => socket.destroy());
  }

  /**
   * Applies a membership change to open sockets: a removal closes them with 4403, and the
   * user's own user-room sockets are told to fetch their Space list again.
   */
  membershipChanged(spaceId: string, userId: string, role: Role | undefined): void {
    for (const peer of this.rooms.get(`user/${userId}`)?.peers ?? []) {
      peer.send(encodeMembershipChanged());
    }
    const spaceRoom = `space/${spaceId}`;
    for (const join of this.#joins) {
      if (join.spaceRoom === spaceRoom && join.userId === userId) join.role = role;
    }
    for (const peer of this.rooms.get(spaceRoom)?.peers ?? []) {
      if (peer.userId !== userId) continue;
      if (role === undefined) peer.close(CloseCode.forbidden, 'removed from the Space');
      else peer.role = role;
    }
  }

  /** Stores pending updates, closes every socket with 1001 and frees every room. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.allSettled([...this.#loading.values()]);
    await Promise.all([...this.rooms.values()].map((room) => room.flush()));
    for (const connection of this.connections) connection.close(goingAway, 'server shutting down');
    // Edits applied while the first flush ran are stored now: with every connection closed
    // nothing new arrives, so this one leaves nothing pending for any storage backend.
    await Promise.all([...this.rooms.values()].map((room) => room.flush()));
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { metrics, options } = this.#deps;
    const address = parseRoomUrl(req.url);
    let userId: string | undefined;
    let join: Join | undefined;
    let room: Room | undefined;
    let settled = false;

    // Undoes the reservations of this upgrade (user count, join record, room reference) once.
    const release = () => {
      if (settled) return;
      settled = true;
      if (join !== undefined) this.#joins.delete(join);
      if (userId !== undefined) this.#countUser(userId, -1);
      if (room !== undefined) {
        room.joining -= 1;
        void this.#maybeUnload(room);
      }
    };

    try {
      if (this.#closing) throw new Refusal(RefusalReason.shuttingDown, goingAway);
      if ('refusal' in address) throw new Refusal(RefusalReason.badPath, CloseCode.malformed);
      if (address.ticket === undefined) {
        throw new Refusal(RefusalReason.noTicket, CloseCode.unauthenticated);
      }
      const holder = this.#deps.tickets.redeem(address.ticket);
      if (holder === undefined)
        throw new Refusal(RefusalReason.badTicket, CloseCode.unauthenticated);
      if ((this.#perUser.get(holder.userId) ?? 0) >= options.maxConnectionsPerUser) {
        throw new Refusal(RefusalReason.tooManyConnections, CloseCode.rateLimited);
      }
      userId = holder.userId;
      this.#countUser(userId, 1);

      join = { spaceRoom: address.room, userId, role: await this.#authorise(address, userId) };
      this.#joins.add(join);
      room = await this.#acquireRoom(address.room);
      if (join.role === undefined) throw new Refusal(RefusalReason.forbidden, CloseCode.forbidden);
    } catch (error) {
      const refusal =
        error instanceof Refusal ? error : new Refusal(RefusalReason.storageError, internalError);
      metrics.refuse(refusal.reason);
      options.log({
        event: 'connection-refused',
        room: roomName(address),
        userId,
        reason: refusal.reason,
      });
      release();
      this.#closeAfterHandshake(req, socket, head, refusal.code, refusal.reason);
      return;
    }

    if (socket.destroyed) {
      release();
      return;
    }
    // A handshake that ws rejects never reaches the callback; the socket's close releases it.
    socket.once('close', release);
    const joined = { join, room, userId };
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', release);
      const role = joined.join.role;
      if (this.#closing || role === undefined) {
        release();
        ws.close(this.#closing ? goingAway : CloseCode.forbidden, 'refused');
        return;
      }
      settled = true;
      this.#joins.delete(joined.join);
      joined.room.joining -= 1;
      const connection = new Connection(ws, joined.userId, role, joined.room, {
        metrics,
        log: options.log,
        messagesPerSecond: options.messagesPerSecond,
        messageBurst: options.messageBurst,
        onClosed: (closed) => {
          this.connections.delete(closed);
          this.#countUser(closed.userId, -1);
          void this.#maybeUnload(closed.room);
        },
      });
      this.connections.add(connection);
      options.log({
        event: 'connection-opened',
        room: joined.room.name,
        userId: joined.userId,
        role,
      });
    });
  }

  /** The caller's role in the addressed room; rejects when storage fails (fail closed). */
  async #authorise(address: RoomAddress, userId: string): Promise<Role> {
    if (address.kind === 'user') {
      if (address.id !== userId) throw new Refusal(RefusalReason.forbidden, CloseCode.forbidden);
      return Role.owner;
    }
    const space = await this.#deps.directory.getSpace(address.id);
    if (space === undefined) throw new Refusal(RefusalReason.unknownSpace, CloseCode.forbidden);
    const role = await this.#deps.directory.getRole(address.id, userId);
    if (role === undefined) throw new Refusal(RefusalReason.forbidden, CloseCode.forbidden);
    return role;
  }

  async #acquireRoom(name: string): Promise<Room> {
    for (;;) {
      const loaded = this.rooms.get(name);
      if (loaded !== undefined) {
        loaded.joining += 1;
        return loaded;
      }
      let loading = this.#loading.get(name);
      if (loading === undefined) {
        loading = this.#deps.documents.loadDocument(name).then(
          (doc) => {
            this.#loading.delete(name);
            const room = new Room(name, doc, {
              documents: this.#deps.documents,
              metrics: this.#deps.metrics,
              log: this.#deps.options.log,
            });
            this.rooms.set(name, room);
            return room;
          },
          (error: unknown) => {
            this.#loading.delete(name);
            throw error;
          },
        );
        this.#loading.set(name, loading);
      }
      await loading;
    }
  }

  async #maybeUnload(room: Room): Promise<void> {
    if (room.peers.size > 0 || room.joining > 0 || this.rooms.get(room.name) !== room) return;
    await room.flush();
    if (room.peers.size > 0 || room.joining > 0 || this.rooms.get(room.name) !== room) return;
    if (room.hasPendingWrites) {
      // The store failed; the room keeps the updates in memory and retries.
      setTimeout(() => void this.#maybeUnload(room), retryUnloadMs).unref();
      return;
    }
    this.rooms.delete(room.name);
    room.destroy();
  }

  #countUser(userId: string, delta: number): void {
    const count = (this.#perUser.get(userId) ?? 0) + delta;
    if (count <= 0) this.#perUser.delete(userId);
    else this.#perUser.set(userId, count);
  }

  #closeAfterHandshake(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: number,
    reason: string,
  ): void {
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      ws.close(code, reason);
      setTimeout(() => ws.terminate(), 2000).unref();
    });
  }
}

function roomName(address: RoomAddress | { refusal: string }): string | undefined {
  return 'room' in address ? address.room : undefined;
}
