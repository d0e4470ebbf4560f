// Everything a kit needs to work with the sync server, in one object the composition root
// creates: the HTTP client, the document attachment, per-Space status and presence, Space
// registration, membership and invites.
import { personalSpaceId, SpaceType } from '../model/space.ts';
import type { Role } from '../model/space.ts';
import type { DocRef } from './attachment.ts';
import type { BackoffPolicy } from './backoff.ts';
import { ServerAttachment } from './connection.ts';
import type { SyncedKit } from './membership.ts';
import type { Presence, PresenceUser } from './presence.ts';
import { ServerApi } from './server-api.ts';
import type { ServerMember, ServerSpace } from './server-api.ts';
import { ConnectionState } from './status.ts';
import type { DocStatus } from './status.ts';

export interface ServerSyncOptions {
  /** The server's HTTP base URL. */
  readonly server: string;
  /** Returns a valid JWT for `user`. */
  readonly getToken: () => Promise<string>;
  /** The local user (presence shows name and color). */
  readonly user: PresenceUser;
  /** See ServerAttachmentOptions.disableBc. */
  readonly disableBc?: boolean;
  readonly backoff?: BackoffPolicy;
  readonly WebSocketPolyfill?: typeof WebSocket;
  readonly fetch?: typeof fetch;
}

/** The server side of a kit. Create with `createServerSync`, then `bind(kit)` once it started. */
export class ServerSync {
  readonly api: ServerApi;
  /** Pass to `createSpaceKit({attachments: [sync.attachment]})`. */
  readonly attachment: ServerAttachment;
  readonly #user: PresenceUser;
  readonly #registered = new Map<string, Promise<ServerSpace>>();
  #kit: SyncedKit | undefined;
  #unbind: (() => void) | undefined;
  #destroyed = false;

  constructor(options: ServerSyncOptions) {
    this.#user = options.user;
    this.api = new ServerApi({
      server: options.server,
      getToken: options.getToken,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.attachment = new ServerAttachment({
      api: this.api,
      user: options.user,
      ...(options.disableBc !== undefined ? { disableBc: options.disableBc } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      beforeConnect: (ref) => this.#beforeConnect(ref),
      // A Space shared with us (or a changed role) reaches the list at once.
      onMembershipChanged: () => void this.refreshMembership().catch(noop),
    });
  }

  /**
   * The members of a Space with their published identity public keys: the kit's `members`
   * option (the key layer seals Space keys for them).
   */
  readonly members = {
    list: async (spaceId: string) => {
      const members = await this.api.listMembers(spaceId);
      // Limit: one request per member for the keys; a batch endpoint would save round trips.
      return Promise.all(
        members.map(async ({ userId, role }) => {
          const publicKey = await this.api.getPublicKey(userId);
          return publicKey === null ? { userId, role } : { userId, role, publicKey };
        }),
      );
    },
  };

  /** Publishes this user's identity public key: the kit's `publishPublicKey` option. */
  readonly publishPublicKey = (publicKey: string): Promise<void> =>
    this.api.putPublicKey(publicKey);

  /** Connection state and save levels of an open Space (undefined when it is not open). */
  statusOf(spaceId: string): DocStatus | undefined {
    return this.attachment.connectionFor({ kind: 'space', id: spaceId })?.status;
  }

  /** Status of the user document (Space list, presets). */
  get userStatus(): DocStatus | undefined {
    return this.attachment.connectionFor({ kind: 'user', id: this.#user.id })?.status;
  }

  /** Presence in an open Space (undefined when it is not open). */
  presenceOf(spaceId: string): Presence | undefined {
    return this.attachment.connectionFor({ kind: 'space', id: spaceId })?.presence ?? undefined;
  }

  /**
   * Connects the server to a started kit: registers the Spaces it owns (also those created
   * later or offline), and writes the server's membership into its Space list now and whenever
   * the user doc reconnects. Returns the unbind function.
   */
  bind(kit: SyncedKit): () => void {
    if (this.#destroyed) throw new Error('This ServerSync was destroyed');
    if (this.#kit) throw new Error('ServerSync is already bound to a kit');
    this.#kit = kit;

    const offSpaces = kit.spaces.observe(() => this.#registerOwnedSpaces());
    const offUser = this.userStatus?.subscribe((status) => {
      if (status.connection === ConnectionState.synced) void this.refreshMembership().catch(noop);
    });
    this.#registerOwnedSpaces();
    void this.refreshMembership().catch(noop);

    this.#unbind = () => {
      offSpaces();
      offUser?.();
      this.#kit = undefined;
      this.#unbind = undefined;
    };
    return this.#unbind;
  }

  /** Reads the caller's Spaces from the server and adds missing ones to the bound kit's list. */
  async refreshMembership(): Promise<ServerSpace[]> {
    const spaces = await this.api.listSpaces();
    if (!this.#destroyed) this.#kit?.spaces.applyMembership(spaces);
    return spaces;
  }

  /**
   * Registers a Space with the server, with us as owner. Idempotent (the server returns a Space
   * its owner creates again), and called once per Space per session.
   */
  registerSpace(spaceId: string, type: SpaceType): Promise<ServerSpace> {
    let registration = this.#registered.get(spaceId);
    if (!registration) {
      registration = this.api.createSpace({ id: spaceId, type });
      this.#registered.set(spaceId, registration);
      // A failed registration is tried again on the next connect attempt.
      registration.catch(() => this.#registered.delete(spaceId));
    }
    return registration;
  }

  /** The members of a Space. */
  listMembers(spaceId: string): Promise<ServerMember[]> {
    return this.api.listMembers(spaceId);
  }

  /** Adds a member or changes their role (owner/admin). */
  addMember(spaceId: string, userId: string, role: Role): Promise<void> {
    return this.api.addMember(spaceId, userId, role);
  }

  /** Removes a member; the server closes their sockets with 4403 (owner/admin). */
  removeMember(spaceId: string, userId: string): Promise<void> {
    return this.api.removeMember(spaceId, userId);
  }

  /** An invite code for a Space (owner/admin). */
  createInvite(spaceId: string, role: Role): Promise<string> {
    return this.api.createInvite(spaceId, role);
  }

  /** Accepts an invite and adds the Space to the bound kit's list. */
  async acceptInvite(code: string): Promise<ServerSpace> {
    const space = await this.api.acceptInvite(code);
    if (!this.#destroyed) this.#kit?.spaces.applyMembership([space]);
    return space;
  }

  /** Tries every connection again now (e.g. after the host renewed credentials). */
  reconnectAll(): void {
    for (const connection of this.attachment.connections()) connection.reconnect();
  }

  /** Unbinds. The connections themselves close with their documents. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#unbind?.();
  }

  async #beforeConnect(ref: DocRef): Promise<void> {
    if (ref.kind !== 'space') return;
    if (ref.id === personalSpaceId(this.#user.id)) {
      await this.registerSpace(ref.id, SpaceType.personal);
      return;
    }
    const entry = this.#kit?.spaces.list().find((space) => space.id === ref.id);
    if (entry?.role === 'owner') await this.registerSpace(ref.id, entry.type);
  }

  #registerOwnedSpaces(): void {
    for (const space of this.#kit?.spaces.list() ?? []) {
      if (space.role !== 'owner' || this.#registered.has(space.id)) continue;
      void this.registerSpace(space.id, space.type).then(() => {
        // A connection refused before the registration landed can now get in.
        const status = this.statusOf(space.id);
        if (status?.current.connection === ConnectionState.revoked) {
          this.attachment.connectionFor({ kind: 'space', id: space.id })?.reconnect();
        }
      }, noop);
    }
  }
}

/** Creates the server side of a kit. See ServerSync. */
export function createServerSync(options: ServerSyncOptions): ServerSync {
  return new ServerSync(options);
}

function noop(): void {}
