// The kit's store side: the user doc, the open Spaces, the active Space and live switching.
// It is handed a DocOpener and a CodecSource by the composition root (src/kit.ts), so it knows
// nothing about IndexedDB, WebSockets or keys.
import type * as Y from 'yjs';
import { isLocked } from '../crypto/field-codec.ts';
import type { Actor } from '../model/actor.ts';
import type { Locale } from '../model/defaults.ts';
import { personalSpaceId } from '../model/space.ts';
import type { CodecSource } from './codecs.ts';
import { DeviceConventions } from './device.ts';
import { awaitFirstSync, DEFAULT_FIRST_SYNC_TIMEOUT_MS } from './first-sync.ts';
import type { DeviceStorage } from './device.ts';
import { LockedError, LockReason } from '../crypto/field-codec.ts';
import { NoPersonalSpaceError, UnknownSpaceError } from './errors.ts';
import { KitPresets } from './kit-presets.ts';
import { KitSpaces } from './kit-spaces.ts';
import { checkLegacyExport, importLegacyInto } from './legacy.ts';
import type { LegacyExport, LegacyImportResult } from './legacy.ts';
import { OpenSpaces } from './open-spaces.ts';
import type { DocOpener, OpenedDoc } from './open-spaces.ts';
import type { LocalOrigin, SystemOrigin } from './scope.ts';
import { KitSettings } from './settings.ts';
import { Space } from './space.ts';
import { readTagCopy, writeTagCopy } from './tag-copy.ts';
import { userActor, UserStore } from './user-store.ts';
import type { KitKeys } from './keys/kit-keys.ts';
import type { UnlockInput } from '../crypto/user-keys.ts';
import type { KeyEpoch } from '../crypto/field-cipher.ts';

export interface SpaceKitCoreOptions {
  readonly user: { readonly id: string; readonly name: string };
  readonly locale: Locale;
  readonly storagePrefix: string;
  readonly opener: DocOpener;
  readonly codecs: CodecSource;
  readonly deviceStorage: DeviceStorage;
  /** How many Spaces besides the active one stay open (default 3). */
  readonly recentSpaces?: number;
  /** The key manager behind `codecs`; without it the kit cannot unlock (a host codec). */
  readonly keys?: KitKeys;
  /**
   * How long a document this device has no data for waits for its remote source before the kit
   * sets it up anyway (default 3000 ms). See first-sync.ts.
   */
  readonly firstSyncTimeoutMs?: number;
  /**
   * True when documents leave this device (a sync server). Then nothing a person typed may be
   * written unsealed, not even by the kit's own import while locked.
   */
  readonly syncsRemotely?: boolean;
}

/** What `getKontextDocForActiveSpace()` returns: the active Space's context, for a planner. */
export interface KontextForPlanner {
  readonly spaceId: string;
  readonly text: string;
}

export class SpaceKit {
  readonly user: { readonly id: string; readonly name: string };
  readonly locale: Locale;
  /** The user's Spaces: list, create, rename, observe. */
  readonly spaces: KitSpaces;
  /** The user's tag presets. */
  readonly presets: KitPresets;
  /** The user's settings (locale, theme), shared by all of the user's devices. */
  readonly settings: KitSettings;
  /**
   * Low-level access for tests and the sync layer. Not for elements: they go through the
   * Space handles, never through Yjs types.
   */
  readonly internals: {
    /** The Y.Doc of an open Space, or undefined when it is not open. */
    spaceDoc(spaceId: string): Y.Doc | undefined;
    /** Ids of the open Spaces, least recently used first. */
    openSpaceIds(): string[];
    readonly userDoc: Y.Doc;
    /** The origin of this kit's local writes. */
    readonly origin: LocalOrigin;
    readonly codecs: CodecSource;
    /** The key manager, when the kit encrypts (not with a host-provided codec source). */
    readonly keys: KitKeys | undefined;
  };

  readonly #userDoc: OpenedDoc;
  readonly #userStore: UserStore;
  readonly #open: OpenSpaces;
  readonly #device: DeviceConventions;
  readonly #origin: LocalOrigin;
  readonly #systemOrigin: SystemOrigin;
  readonly #activeListeners = new Set<(space: Space) => void>();
  readonly #keys: KitKeys | undefined;
  readonly #syncsRemotely: boolean;
  #active: Space | undefined;
  #switchTicket = 0;
  readonly #destroyHooks: (() => void)[] = [];
  #destroyed = false;

  private constructor(options: SpaceKitCoreOptions, userDoc: OpenedDoc) {
    this.user = options.user;
    this.locale = options.locale;
    const actor: Actor = userActor(options.user);
    this.#origin = Object.freeze({ kind: 'space-kit-local', actor });
    this.#systemOrigin = Object.freeze({ kind: 'space-kit-system', actor });
    this.#userDoc = userDoc;
    this.#keys = options.keys;
    this.#syncsRemotely = options.syncsRemotely ?? false;
    this.#userStore = new UserStore({
      doc: userDoc.doc,
      userId: options.user.id,
      origin: this.#origin,
      systemOrigin: this.#systemOrigin,
      codecs: options.codecs,
    });
    this.#device = new DeviceConventions(
      options.deviceStorage,
      options.storagePrefix,
      options.user.id,
    );
    this.#open = new OpenSpaces(
      options.opener,
      (id, doc) => {
        const space = new Space({
          id,
          doc,
          origin: this.#origin,
          systemOrigin: this.#systemOrigin,
          codecs: options.codecs,
          device: this.#device,
          role: () => this.#userStore.roleOf(id),
        });
        const opened = this.#open.opened(id);
        this.#keys?.attachSpace(id, {
          doc,
          compact: opened?.compact?.bind(opened),
          writable: () => !space.readOnly,
          role: () => this.#userStore.roleOf(id),
        });
        return space;
      },
      options.recentSpaces ?? 3,
      options.firstSyncTimeoutMs,
    );
    this.spaces = new KitSpaces(
      this.#userStore,
      (id, open) => this.#openAndBootstrap(id, open),
      options.locale,
    );
    this.presets = new KitPresets(this.#userStore, (id) => this.openSpace(id));
    this.settings = new KitSettings(this.#userStore.scope);
    this.internals = {
      spaceDoc: (id) => this.#open.doc(id),
      openSpaceIds: () => this.#open.ids(),
      userDoc: userDoc.doc,
      origin: this.#origin,
      codecs: options.codecs,
      keys: options.keys,
    };
    this.#keys?.bindUser(
      {
        doc: userDoc.doc,
        compact: userDoc.compact?.bind(userDoc),
        writable: () => !this.#destroyed,
        role: () => undefined,
      },
      this.#systemOrigin,
    );
  }

  /**
   * Opens the user doc, adds the Personal Space on first start, and activates the Space this
   * device used last (or the Personal Space).
   */
  static async start(options: SpaceKitCoreOptions): Promise<SpaceKit> {
    const userDoc = options.opener({ kind: 'user', id: options.user.id });
    try {
      await userDoc.whenLoaded;
      // A new device: take the Space list and keys other devices wrote before adding our own.
      await awaitFirstSync(userDoc, options.firstSyncTimeoutMs ?? DEFAULT_FIRST_SYNC_TIMEOUT_MS);
    } catch (error) {
      await userDoc.close();
      throw error;
    }
    const kit = new SpaceKit(options, userDoc);
    try {
      const personal = kit.#userStore.ensurePersonalSpace(options.locale);
      const hint = kit.#device.activeSpaceHint;
      const first = hint !== undefined && kit.#userStore.getSpace(hint) ? hint : personal;
      await kit.switchSpace(first);
    } catch (error) {
      await kit.destroy();
      throw error;
    }
    return kit;
  }

  /** The active Space. Every bound element shows this one. */
  get activeSpace(): Space {
    if (!this.#active) throw new Error('The kit has no active Space (destroyed?)');
    return this.#active;
  }

  /**
   * Calls `listener` now with the active Space and again after every switch; returns an
   * unsubscribe function.
   */
  onActiveSpaceChanged(listener: (space: Space) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#activeListeners.add(listener);
    if (this.#active) listener(this.#active);
    return () => this.#activeListeners.delete(listener);
  }

  /**
   * Makes `spaceId` the active Space, with no reload. Rejects with UnknownSpaceError when the
   * user's Space list does not have it; the active Space is then unchanged. When several
   * switches overlap, the last one called wins.
   */
  async switchSpace(spaceId: string): Promise<Space> {
    this.#assertAlive();
    if (typeof spaceId !== 'string') throw new TypeError('spaceId must be a string');
    const summary = this.#userStore.getSpace(spaceId);
    if (!summary) throw new UnknownSpaceError(spaceId);
    if (this.#active?.id === spaceId && !this.#active.closed) return this.#active;

    const ticket = ++this.#switchTicket;
    const space = await this.#open.open(spaceId);
    this.#assertAlive();
    if (ticket !== this.#switchTicket) return space;

    const name = isLocked(summary.name) ? undefined : summary.name;
    space.bootstrap({ type: summary.type, name, locale: this.locale });
    this.#open.setActive(spaceId);
    this.#active = space;
    this.#device.activeSpaceHint = spaceId;
    for (const listener of [...this.#activeListeners]) listener(space);
    return space;
  }

  /**
   * A handle on any of the user's Spaces without switching (opens it into the recent set).
   * Bootstraps it like an activation would.
   */
  openSpace(spaceId: string): Promise<Space> {
    return this.#openAndBootstrap(spaceId);
  }

  async #openAndBootstrap(spaceId: string, open: { created?: boolean } = {}): Promise<Space> {
    this.#assertAlive();
    const summary = this.#userStore.getSpace(spaceId);
    if (!summary) throw new UnknownSpaceError(spaceId);
    const space = await this.#open.open(spaceId, open);
    this.#assertAlive();
    const name = isLocked(summary.name) ? undefined : summary.name;
    space.bootstrap({ type: summary.type, name, locale: this.locale });
    return space;
  }

  /** Copies the live tags (and their groups) of one Space into another, with fresh ids. */
  async copyTags(fromSpaceId: string, toSpaceId: string): Promise<number> {
    if (!this.#userStore.getSpace(toSpaceId)) throw new UnknownSpaceError(toSpaceId);
    const copy = readTagCopy(await this.openSpace(fromSpaceId));
    return writeTagCopy(copy, await this.openSpace(toSpaceId));
  }

  /** The active Space's context text for an AI planner; null when the Space has none. */
  getKontextDocForActiveSpace(): KontextForPlanner | null {
    if (!this.#active || this.#active.closed) return null;
    const text = this.#active.kontext.toString();
    return text === '' ? null : { spaceId: this.#active.id, text };
  }

  /**
   * Moves the old user-level export into the Personal Space (docs/store.md, "Legacy import").
   * Idempotent: a second run writes nothing. Rejects when the user has no Personal Space, and
   * with LockedError, writing nothing, when the kit is locked and either syncs with a server
   * (imported values must be sealed before they leave) or the export has a context text.
   */
  async importLegacy(data: unknown): Promise<LegacyImportResult> {
    this.#assertAlive();
    checkLegacyExport(data);
    if (this.locked && this.#syncsRemotely) {
      // Locally the at-rest sweep would seal the plaintext after unlock; a synced document
      // would already have carried it to the server.
      throw new LockedError(
        'Unlock before importing: this kit syncs, and a locked import would reach the server ' +
          'unencrypted',
        LockReason.locked,
      );
    }
    if (this.locked && (data as LegacyExport).kontext?.text) {
      // The context text is only ever stored as sealed log entries: refuse before writing
      // anything rather than import the records and fail on the text.
      throw new LockedError('Unlock before importing a context text', LockReason.locked);
    }
    const personal = personalSpaceId(this.user.id);
    if (!this.#userStore.getSpace(personal)) {
      throw new NoPersonalSpaceError(personal);
    }
    const space = await this.openSpace(personal);
    return importLegacyInto(space, data, (userId) =>
      userId === this.user.id
        ? this.#origin.actor
        : Object.freeze({ kind: 'user', principalId: userId, displayName: userId }),
    );
  }

  /**
   * Settles when every write made so far to a Space (default: the active one) and to the user
   * doc is committed to this device's storage ("saved on this device").
   */
  async whenSavedOnDevice(spaceId: string = this.activeSpace.id): Promise<void> {
    const space = this.#open.opened(spaceId);
    await Promise.all([space?.whenSaved?.(), this.#userDoc.whenSaved?.()]);
  }

  /** True while encrypted fields read as locked and cannot be written. */
  get locked(): boolean {
    return this.#keys?.locked ?? false;
  }

  /**
   * Unlocks with the user's passphrase (the first unlock ever sets it) or a master key the host
   * keeps. Resolves once the open Spaces' keys are loaded and their plaintext swept. Rejects
   * with WrongPassphraseError for a wrong passphrase, writing nothing.
   */
  async unlock(input: UnlockInput): Promise<void> {
    this.#assertAlive();
    await this.#requireKeys().unlock(input);
  }

  /** Forgets every key and decrypted value: encrypted fields read as locked again. */
  lock(): void {
    this.#keys?.lock();
  }

  /** Calls `listener(locked)` after every unlock and lock; returns an unsubscribe function. */
  onLockChanged(listener: (locked: boolean) => void): () => void {
    return this.#requireKeys().onLockChanged(listener);
  }

  /**
   * Calls `listener(error)` when key work the kit does on its own fails — publishing this user's
   * public key, sharing Space keys after unlock — so a host can show it; the kit tries again on
   * the next unlock or open. Returns an unsubscribe function.
   */
  onKeyTaskFailed(listener: (error: unknown) => void): () => void {
    return this.#requireKeys().onBackgroundError(listener);
  }

  /** This user's identity public key (base64url) while unlocked, for the member list. */
  get publicKey(): string | undefined {
    return this.#keys?.publicKey;
  }

  /**
   * Shares this device's keys of a Space with every member (from the kit's `members` directory)
   * who has a public key and lacks them. Runs on its own after unlock and when a Space opens;
   * call it after a member joined. Resolves to the number of keyring entries added.
   */
  async shareKeys(spaceId: string): Promise<number> {
    await this.openSpace(spaceId);
    return this.#requireKeys().shareKeys(spaceId);
  }

  /**
   * After `userId` was removed from a Space (on the server): starts a new key epoch sealed only
   * for the remaining members, so what is written from now on is unreadable to them. Resolves to
   * the new epoch. Limit: they keep what they could read before (docs/security.md).
   */
  async rotateKeysAfterRemoval(spaceId: string, userId: string): Promise<KeyEpoch> {
    await this.openSpace(spaceId);
    return this.#requireKeys().rotateForRemoval(spaceId, userId);
  }

  /** True after destroy(). */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Runs `cleanup` first thing in destroy(): how the composition root ties services to the kit. */
  onDestroy(cleanup: () => void): void {
    this.#assertAlive();
    this.#destroyHooks.push(cleanup);
  }

  /** Closes every document and attachment and drops every listener. */
  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const cleanup of this.#destroyHooks.splice(0)) cleanup();
    this.#activeListeners.clear();
    this.#active = undefined;
    this.spaces.destroy();
    this.settings.destroy();
    await this.#open.closeAll();
    this.#userStore.destroy();
    await this.#userDoc.close();
    this.#keys?.destroy();
  }

  #requireKeys(): KitKeys {
    if (!this.#keys) throw new Error('This kit was given its own codecs: it has no keys to unlock');
    return this.#keys;
  }

  #assertAlive(): void {
    if (this.#destroyed) throw new Error('This space-kit instance was destroyed');
  }
}
