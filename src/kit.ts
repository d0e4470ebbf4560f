// The composition root: wires the store to persistence (and, through `attachments`, to sync)
// and to the codec source. Elements and hosts get everything through the returned kit.
import * as Y from 'yjs';
import { Locale } from './model/defaults.ts';
import { assertValidId } from './model/space.ts';
import type { CodecSource } from './store/codecs.ts';
import type { ScryptParams } from './crypto/master-key.ts';
import { KitKeys } from './store/keys/kit-keys.ts';
import type { MemberDirectory, PublishPublicKey } from './store/keys/members.ts';
import { defaultDeviceStorage } from './store/device.ts';
import type { DeviceStorage } from './store/device.ts';
import type { DocOpener } from './store/open-spaces.ts';
import { DEFAULT_FIRST_SYNC_TIMEOUT_MS } from './store/first-sync.ts';
import { SpaceKit } from './store/space-kit.ts';
import type { AttachedDoc, DocAttachment } from './sync/attachment.ts';
import { IndexeddbAttachment } from './sync/persistence.ts';
import { createServerSync } from './sync/server-sync.ts';
import type { ServerSync } from './sync/server-sync.ts';
import { connectKitToServer } from './kit-server.ts';
import type { SpaceMembers } from './kit-server.ts';

/** A started kit: the store API plus, when it has a server, sync status, presence and members. */
export type Kit = SpaceKit & {
  /** The server connection (status, presence per Space); undefined without `server`. */
  readonly sync: ServerSync | undefined;
  /** Members and invites of shared Spaces; undefined without `server`. */
  readonly members: SpaceMembers | undefined;
};

export interface SpaceKitOptions {
  /** The signed-in user. `id` must be a valid id; `name` is stamped on every write as actor. */
  readonly user: { readonly id: string; readonly name: string };
  /** The sync server's HTTP base URL. With `getToken`, every open document syncs live. */
  readonly server?: string;
  /** Returns a valid JWT for `user` (asked before every connect; never put in a URL). */
  readonly getToken?: () => Promise<string>;
  /** Language of the names written at bootstrap (default `en`). */
  readonly locale?: Locale;
  /** Prefix of IndexedDB names and localStorage keys (default `space-kit`). */
  readonly storagePrefix?: string;
  /** Persist documents in IndexedDB (default true). False keeps everything in memory. */
  readonly persistence?: boolean;
  /** More attachments for every opened document (e.g. the WebSocket sync). */
  readonly attachments?: readonly DocAttachment[];
  /**
   * Where sealed fields get their codec. Default: the kit's own keys (XChaCha20-Poly1305, locked
   * until `kit.unlock(...)`). A host codec source replaces them; `unlock` is then unavailable.
   */
  readonly codecs?: CodecSource;
  /** A master key from the host's own vault: the kit unlocks with it at start. */
  readonly masterKey?: Uint8Array;
  /** Members and their public keys per Space, for sharing Space keys (the server's list). */
  readonly members?: MemberDirectory;
  /** Publishes this user's identity public key after unlock (the server's public-key API). */
  readonly publishPublicKey?: PublishPublicKey;
  /** scrypt cost for a passphrase set on this device (default: docs/security.md). */
  readonly scryptParams?: ScryptParams;
  /** Device conventions storage (default `localStorage`). */
  readonly deviceStorage?: DeviceStorage;
  /** How many Spaces besides the active one stay open (default 3). */
  readonly recentSpaces?: number;
  /**
   * With a server: how long a device waits for the server's copy of a document it has no local
   * data for before bootstrapping it anyway (default 3000 ms; offline never waits).
   */
  readonly firstSyncTimeoutMs?: number;
}

/**
 * Starts a kit for one user: opens the user doc, creates the Personal Space on first start and
 * activates the Space this device used last.
 *
 * ```ts
 * const kit = await createSpaceKit({ user: { id: 'ada', name: 'Ada' } });
 * kit.activeSpace.tags.create({ name: 'Urgent', color: '#d33' });
 * ```
 */
export async function createSpaceKit(options: SpaceKitOptions): Promise<Kit> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  assertValidId(options.user?.id, 'options.user.id');
  if (typeof options.user.name !== 'string') {
    throw new TypeError('options.user.name must be a string');
  }
  const locale = options.locale ?? Locale.en;
  if (!Object.values(Locale).includes(locale)) {
    throw new RangeError(`options.locale must be one of ${Object.values(Locale).join(', ')}`);
  }
  const storagePrefix = options.storagePrefix ?? 'space-kit';
  if (typeof storagePrefix !== 'string' || storagePrefix === '') {
    throw new TypeError('options.storagePrefix must be a non-empty string');
  }
  const recentSpaces = options.recentSpaces ?? 3;
  if (!Number.isInteger(recentSpaces) || recentSpaces < 0) {
    throw new RangeError('options.recentSpaces must be a non-negative integer');
  }
  const firstSyncTimeoutMs = options.firstSyncTimeoutMs ?? DEFAULT_FIRST_SYNC_TIMEOUT_MS;
  if (!Number.isFinite(firstSyncTimeoutMs) || firstSyncTimeoutMs < 0) {
    throw new RangeError('options.firstSyncTimeoutMs must be a non-negative number');
  }

  const attachments: DocAttachment[] = [];
  if (options.persistence !== false) {
    attachments.push(new IndexeddbAttachment(storagePrefix, options.user.id));
  }
  attachments.push(...(options.attachments ?? []));
  const sync = serverSync(options);
  if (sync) attachments.push(sync.attachment);

  const deviceStorage = options.deviceStorage ?? defaultDeviceStorage();
  const keys = options.codecs
    ? undefined
    : new KitKeys({
        userId: options.user.id,
        storage: deviceStorage,
        storagePrefix,
        members: options.members ?? sync?.members,
        publishPublicKey: options.publishPublicKey ?? sync?.publishPublicKey,
        scryptParams: options.scryptParams,
      });
  const kit = await SpaceKit.start({
    user: { id: options.user.id, name: options.user.name },
    locale,
    storagePrefix,
    opener: attachmentOpener(attachments),
    codecs: options.codecs ?? (keys as KitKeys).codecs,
    deviceStorage,
    recentSpaces,
    firstSyncTimeoutMs,
    keys,
    syncsRemotely: sync !== undefined,
  });
  const members = sync ? connectKitToServer(kit, sync) : undefined;
  const connected: Kit = Object.assign(kit, { sync, members });
  if (options.masterKey !== undefined) {
    try {
      await kit.unlock({ masterKey: options.masterKey });
    } catch (error) {
      await kit.destroy();
      throw error;
    }
  }
  return connected;
}

/** The server side of the kit, when `server` and `getToken` are both given. */
function serverSync(options: SpaceKitOptions): ServerSync | undefined {
  if (options.server === undefined && options.getToken === undefined) return undefined;
  if (typeof options.server !== 'string' || typeof options.getToken !== 'function') {
    throw new TypeError('options.server and options.getToken must be given together');
  }
  return createServerSync({
    server: options.server,
    getToken: options.getToken,
    user: options.user,
  });
}

/** Opens a document by attaching it to every attachment; closing destroys them, then the doc. */
function attachmentOpener(attachments: readonly DocAttachment[]): DocOpener {
  return (ref) => {
    const doc = new Y.Doc();
    const attached: AttachedDoc[] = attachments.map((attachment) => attachment.attach(doc, ref));
    let closing: Promise<void> | undefined;
    const remote = attached.filter((a) => typeof a.whenRemoteSynced === 'function');
    return {
      doc,
      whenLoaded: Promise.all(attached.map((a) => a.whenLoaded)).then(() => undefined),
      ...(remote.length > 0
        ? {
            whenRemoteSynced: () =>
              Promise.all(remote.map((a) => a.whenRemoteSynced?.())).then(() => undefined),
          }
        : {}),
      compact: () => Promise.all(attached.map((a) => a.compact?.())).then(() => undefined),
      whenSaved: () => Promise.all(attached.map((a) => a.whenSaved?.())).then(() => undefined),
      close: () => {
        closing ??= Promise.allSettled(attached.map((a) => a.destroy())).then(() => doc.destroy());
        return closing;
      },
    };
  };
}
