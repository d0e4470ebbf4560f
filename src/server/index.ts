// The programmatic entry of space-kit-server: `startServer(options)` for the CLI, tests and
// hosts that embed the server in their own process.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gateway } from './gateway.ts';
import { createHttpHandler } from './http-api.ts';
import { LevelDirectoryStore, LevelDocumentStore } from './leveldb-store.ts';
import { Metrics } from './metrics.ts';
import { resolveOptions, type ServerOptions } from './options.ts';
import { SpaceDirectory } from './spaces.ts';
import type { DirectoryStore, DocumentStore } from './storage.ts';
import { TicketBook } from './tickets.ts';

export type { Logger, LogEntry, ServerOptions } from './options.ts';
export type {
  DirectoryStore,
  DocumentStore,
  InviteRecord,
  MemberRecord,
  SpaceRecord,
} from './storage.ts';
export { LevelDirectoryStore, LevelDocumentStore } from './leveldb-store.ts';
export { signJwt, verifyJwt, type Claims } from './jwt.ts';

/** Options of `startServer`, plus storage to use instead of the embedded LevelDB. */
export interface StartOptions extends ServerOptions {
  /** Document storage; default: LevelDB under `data`. The server closes it on close(). */
  documents?: DocumentStore;
  /** Directory storage; default: LevelDB under `data`. The server closes it on close(). */
  directory?: DirectoryStore;
}

/** A running server. */
export interface SyncServer {
  /** Base URL, e.g. `http://127.0.0.1:4444`; WebSocket rooms are under the `ws:` form. */
  readonly url: string;
  readonly port: number;
  /** The JWT secret in use (generated in dev mode when none was given). */
  readonly jwtSecret: string;
  /** Open WebSocket connections. */
  readonly connectionCount: number;
  /** Rooms loaded in memory. */
  readonly roomCount: number;
  /**
   * Stops accepting, stores pending updates, closes every socket (1001) and the storage.
   * Resolves when done; calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Starts a sync server and resolves once it listens. */
export async function startServer(startOptions: StartOptions = {}): Promise<SyncServer> {
  const options = resolveOptions(startOptions, () => randomBytes(32).toString('base64url'));
  const documents = startOptions.documents ?? new LevelDocumentStore(options.data);
  const directoryStore = startOptions.directory ?? new LevelDirectoryStore(options.data);
  const metrics = new Metrics();
  const tickets = new TicketBook(options.ticketTtlMs);
  const gateway = new Gateway({ options, tickets, documents, directory: directoryStore, metrics });

  const http = createServer(
    createHttpHandler({
      options,
      directory: new SpaceDirectory(directoryStore, options.inviteTtlMs),
      tickets,
      renderMetrics: () =>
        metrics.render({ connections: gateway.connections.size, rooms: gateway.rooms.size }),
      onMembershipChanged: (spaceId, userId, role) =>
        gateway.membershipChanged(spaceId, userId, role),
    }),
  );
  http.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head));
  // Unparsable requests (e.g. raw non-ASCII in the request line) get a bare 400.
  http.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // Port taken or similar: release the storage locks before reporting.
    await Promise.allSettled([documents.close(), directoryStore.close()]);
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  const close = async () => {
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    await gateway.close();
    http.closeAllConnections();
    await stopped;
    await Promise.allSettled([documents.close(), directoryStore.close()]);
    options.log({ event: 'server-closed' });
  };

  options.log({ event: 'server-listening', port, host: options.host, dev: options.dev });
  return {
    url: `http://${host}:${port}`,
    port,
    jwtSecret: options.jwtSecret,
    get connectionCount() {
      return gateway.connections.size;
    },
    get roomCount() {
      return gateway.rooms.size;
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
