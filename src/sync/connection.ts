// Connects open documents to the sync server. One y-websocket provider per document, but the
// reconnect loop is ours: every connect needs a fresh single-use ticket, so the provider's own
// retry (which would reuse the old URL) is switched off and we reconnect with jittered backoff.
import type * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import { CloseCode, assertValidId, roomPath } from '../model/space.ts';
import type { AttachedDoc, DocAttachment, DocRef } from './attachment.ts';
import { assertPolicy, defaultBackoff, reconnectDelay } from './backoff.ts';
import type { BackoffPolicy } from './backoff.ts';
import { Presence } from './presence.ts';
import type { PresenceUser } from './presence.ts';
import { ServerError } from './server-api.ts';
import type { ServerApi } from './server-api.ts';
import { ConnectionState, SyncInterruptedError, docStatus } from './status.ts';
import type { DocStatus } from './status.ts';
import { ExtraMessage } from '../model/protocol.ts';
import { decodeStoredVector, isCoveredBy, localStateVector } from './stored-ack.ts';
import type { StateVector } from './stored-ack.ts';

/** Options of the server attachment. */
export interface ServerAttachmentOptions {
  /** The HTTP client that fetches tickets. */
  readonly api: ServerApi;
  /** The local user: scopes cross-tab sync and is what Space presence shows. */
  readonly user: PresenceUser;
  /**
   * Turn off cross-tab sync over BroadcastChannel (default false). When on, the channel is
   * scoped to the user, so tabs of one user share changes even offline, while two users on one
   * page (the collaboration demo, tests) still only meet through the server, which enforces
   * roles. Benchmarks of server latency turn it off.
   */
  readonly disableBc?: boolean;
  /** Reconnect timing (default 250 ms · 2^n, cap 10 s, ±50% jitter). */
  readonly backoff?: BackoffPolicy;
  /** WebSocket implementation for Node (`ws`); browsers use the global one. */
  readonly WebSocketPolyfill?: typeof WebSocket;
  /**
   * Runs before every connect attempt (e.g. registers a Space created offline with the server,
   * which refuses unknown Spaces). A rejection counts as a failed attempt.
   */
  readonly beforeConnect?: (ref: DocRef) => Promise<void>;
  /** Called when the server says the user's memberships changed (on the user document). */
  readonly onMembershipChanged?: () => void;
}

/** A document's live link to the server. */
export interface ServerConnection extends AttachedDoc {
  readonly ref: DocRef;
  /** Connection state and save levels of the document (shared with the persistence attachment). */
  readonly status: DocStatus;
  /** Presence in a Space document; null for the user document. */
  readonly presence: Presence | null;
  /** The raw awareness, for code that needs more than presence. */
  readonly awareness: Awareness;
  /** Tries again now: after `revoked` (new credentials) or to skip a backoff wait. */
  reconnect(): void;
}

/** Attaches documents to the sync server; `connectionFor` finds a document's connection. */
export class ServerAttachment implements DocAttachment {
  readonly #options: ServerAttachmentOptions;
  readonly #connections = new Map<string, DocConnection>();

  constructor(options: ServerAttachmentOptions) {
    if (!options?.api) throw new TypeError('api must be a ServerApi');
    assertValidId(options.user?.id, 'user.id');
    if (options.backoff) assertPolicy(options.backoff);
    this.#options = options;
  }

  attach(doc: Y.Doc, ref: DocRef): ServerConnection {
    assertValidId(ref?.id, 'ref.id');
    if (ref.kind !== 'space' && ref.kind !== 'user') throw new TypeError('ref.kind is not known');
    const key = refKey(ref);
    if (this.#connections.has(key)) throw new Error(`${key} is already attached`);
    const connection = new DocConnection(doc, ref, this.#options, () => {
      if (this.#connections.get(key) === connection) this.#connections.delete(key);
    });
    this.#connections.set(key, connection);
    return connection;
  }

  /** The live connection of an attached document, if any. */
  connectionFor(ref: DocRef): ServerConnection | undefined {
    return this.#connections.get(refKey(ref));
  }

  /** Every attached connection (e.g. to reconnect all after the host renewed credentials). */
  connections(): ServerConnection[] {
    return [...this.#connections.values()];
  }
}

function refKey(ref: DocRef): string {
  return `${ref.kind}/${ref.id}`;
}

function isNavigatorOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

const revokingCloseCodes: readonly number[] = [CloseCode.unauthenticated, CloseCode.forbidden];

class DocConnection implements ServerConnection {
  readonly ref: DocRef;
  readonly status: DocStatus;
  readonly presence: Presence | null;
  readonly whenLoaded = Promise.resolve();
  readonly #doc: Y.Doc;
  readonly #api: ServerApi;
  readonly #beforeConnect: ((ref: DocRef) => Promise<void>) | undefined;
  readonly #provider: WebsocketProvider;
  readonly #backoff: BackoffPolicy;
  readonly #onDetach: () => void;
  #storedVector: StateVector | null = null;
  #failedAttempts = 0;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;
  /** Set by the window's 'offline' event, cleared by 'online' (navigator.onLine may lag). */
  #offlineEvent = false;

  constructor(doc: Y.Doc, ref: DocRef, options: ServerAttachmentOptions, onDetach: () => void) {
    this.ref = ref;
    this.#doc = doc;
    this.#api = options.api;
    this.#beforeConnect = options.beforeConnect;
    this.#backoff = options.backoff ?? defaultBackoff;
    this.#onDetach = onDetach;
    this.status = docStatus(doc);

    const room = (ref.kind === 'space' ? roomPath.space(ref.id) : roomPath.user(ref.id)).slice(1);
    this.#provider = new WebsocketProvider(options.api.websocketUrl, room, doc, {
      connect: false,
      disableBc: options.disableBc ?? false,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    });
    // Scope cross-tab sync to this user: the default channel (server + room) would also join
    // another user's kit on the same page and bypass the server's role checks.
    this.#provider.bcChannel = `${this.#provider.bcChannel}#${options.user.id}`;
    this.#provider.messageHandlers[ExtraMessage.stored] = (_encoder, decoder) => {
      this.#storedVector = decodeStoredVector(decoding.readVarUint8Array(decoder));
      this.#updateSavedOnServer();
    };
    this.#provider.messageHandlers[ExtraMessage.membershipChanged] = () => {
      if (ref.kind === 'user') options.onMembershipChanged?.();
    };
    this.#provider.on('status', this.#onProviderStatus);
    this.#provider.on('sync', this.#onProviderSync);
    this.#provider.on('connection-close', this.#onConnectionClose);
    doc.on('update', this.#updateSavedOnServer);

    this.presence =
      ref.kind === 'space' ? new Presence(this.#provider.awareness, options.user) : null;
    // The user document has no presence: don't advertise an empty state in it.
    if (!this.presence) this.#provider.awareness.setLocalState(null);

    if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
      window.addEventListener('online', this.#onOnline);
      window.addEventListener('offline', this.#onOffline);
    }
    this.#provider.connectBc();
    this.status.update({ revokedCode: null, savedOnServer: this.#isSavedOnServer() });
    void this.#connect();
  }

  get awareness(): Awareness {
    return this.#provider.awareness;
  }

  /**
   * Settles when the status reaches `synced`; at once while the browser is offline (nothing to
   * wait for). Rejects like `status.whenSynced()` (revoked, detached, closed).
   */
  whenRemoteSynced(): Promise<void> {
    return this.#isOnline() ? this.status.whenSynced() : Promise.resolve();
  }

  reconnect(): void {
    if (this.#destroyed) return;
    this.#failedAttempts = 0;
    if (this.status.current.connection === ConnectionState.revoked) {
      this.status.update({ connection: ConnectionState.offline, revokedCode: null });
    }
    const connection = this.status.current.connection;
    if (connection === ConnectionState.offline) void this.#connect();
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearTimeout(this.#retryTimer);
    this.#onDetach();
    if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
      window.removeEventListener('online', this.#onOnline);
      window.removeEventListener('offline', this.#onOffline);
    }
    this.#doc.off('update', this.#updateSavedOnServer);

    // Clear presence while the socket is still open, so others see us leave at once.
    this.presence?.destroy();
    this.#provider.off('status', this.#onProviderStatus);
    this.#provider.off('sync', this.#onProviderSync);
    this.#provider.off('connection-close', this.#onConnectionClose);
    this.#provider.destroy();
    this.#provider.awareness.destroy();

    if (this.status.current.connection !== ConnectionState.revoked) {
      this.status.update({ connection: ConnectionState.offline });
    }
    this.status.interrupt(
      new SyncInterruptedError('The server attachment was detached', 'detached'),
    );
  }

  /** One connect attempt: a fresh ticket, then the socket. Failures schedule the next attempt. */
  async #connect(): Promise<void> {
    if (this.#destroyed || this.status.current.connection === ConnectionState.revoked) return;
    if (!this.#isOnline()) {
      this.status.update({ connection: ConnectionState.offline });
      return;
    }
    clearTimeout(this.#retryTimer);
    const attempt = ++this.#attempt;
    this.status.update({ connection: ConnectionState.connecting });

    let ticket: string;
    try {
      await this.#beforeConnect?.(this.ref);
      if (this.#destroyed || attempt !== this.#attempt) return;
      ticket = await this.#api.createTicket();
    } catch (error) {
      if (this.#destroyed || attempt !== this.#attempt) return;
      if (error instanceof ServerError && (error.status === 401 || error.status === 403)) {
        this.#revoke(error.status);
      } else {
        // Network errors, 5xx, rate limits: the server may come back; keep trying.
        this.#scheduleReconnect();
      }
      return;
    }
    if (this.#destroyed || attempt !== this.#attempt) return;
    if (!this.#isOnline()) {
      this.status.update({ connection: ConnectionState.offline });
      return;
    }
    this.#provider.params = { ticket };
    this.#provider.connect();
  }

  #scheduleReconnect(): void {
    this.status.update({ connection: ConnectionState.offline });
    if (this.#destroyed || !this.#isOnline()) return;
    clearTimeout(this.#retryTimer);
    const delay = reconnectDelay(Math.min(this.#failedAttempts, 30), this.#backoff);
    this.#failedAttempts++;
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }

  #revoke(code: number): void {
    clearTimeout(this.#retryTimer);
    this.status.update({ connection: ConnectionState.revoked, revokedCode: code });
  }

  #onConnectionClose = (event: CloseEvent | null) => {
    // Stop the provider's own retry: it would reuse the spent ticket in its URL. (Calling
    // provider.disconnect() here would re-enter the provider's close routine, which has not
    // finished yet; clearing shouldConnect is what disconnect() does to stop retries.)
    this.#provider.shouldConnect = false;
    if (this.#destroyed) return;
    this.#attempt++;
    if (event && revokingCloseCodes.includes(event.code)) {
      this.#revoke(event.code);
      return;
    }
    if (this.status.current.connection === ConnectionState.revoked) return;
    this.#scheduleReconnect();
  };

  #onProviderStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (this.#destroyed || this.status.current.connection === ConnectionState.revoked) return;
    if (status === 'connected') this.status.update({ connection: ConnectionState.syncing });
  };

  #onProviderSync = (synced: boolean) => {
    if (this.#destroyed || !synced || !this.#provider.wsconnected) return;
    this.#failedAttempts = 0;
    this.status.update({ connection: ConnectionState.synced });
  };

  #onOnline = () => {
    this.#offlineEvent = false;
    this.#failedAttempts = 0;
    if (this.status.current.connection === ConnectionState.offline) void this.#connect();
  };

  #onOffline = () => {
    this.#offlineEvent = true;
    this.#attempt++;
    clearTimeout(this.#retryTimer);
    if (this.status.current.connection === ConnectionState.revoked) return;
    // The close below reports through #onConnectionClose, which sees we are offline and waits
    // for the 'online' event instead of scheduling a retry.
    this.#provider.disconnect();
    this.#provider.connectBc();
    this.status.update({ connection: ConnectionState.offline });
  };

  #isOnline(): boolean {
    return !this.#offlineEvent && isNavigatorOnline();
  }

  #isSavedOnServer(): boolean {
    return isCoveredBy(localStateVector(this.#doc), this.#storedVector);
  }

  #updateSavedOnServer = () => {
    if (this.#destroyed) return;
    this.status.update({ savedOnServer: this.#isSavedOnServer() });
  };
}
