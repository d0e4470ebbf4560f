// The kit's keys: unlock and lock, the Space keyrings of open Spaces, key sharing with members
// who join, a new epoch when a member is removed, and the at-rest sweep after unlock. It owns
// the SpaceKeys and the CipherCodec, and offers them to the store as a CodecSource.
import type * as Y from 'yjs';
import { CipherCodec } from '../../crypto/cipher-codec.ts';
import type { IdentityKeyPair } from '../../crypto/identity.ts';
import { exportPublicKey, importPublicKey } from '../../crypto/identity.ts';
import type { KeyEpoch } from '../../crypto/field-cipher.ts';
import {
  createKeyring,
  openEpochKeys,
  rotateForRemoval,
  shareWithMember,
  spaceKeyId,
} from '../../crypto/keyring.ts';
import type { KeyringMember } from '../../crypto/keyring.ts';
import { deriveFirstSpaceKey } from '../../crypto/master-key.ts';
import type { ScryptParams } from '../../crypto/master-key.ts';
import type { CollectionName } from '../../crypto/registry.ts';
import { SpaceKeys } from '../../crypto/space-keys.ts';
import { unlockUserKeys } from '../../crypto/user-keys.ts';
import type { UnlockInput } from '../../crypto/user-keys.ts';
import { Role } from '../../model/space.ts';
import type { CodecScope, CodecSource } from '../codecs.ts';
import { userFieldScope } from '../codecs.ts';
import type { DeviceStorage } from '../device.ts';
import type { SystemOrigin } from '../scope.ts';
import {
  addKeyringEntries,
  keyringMap,
  readKeyring,
  readStoredUserKeys,
  writeStoredUserKeys,
} from './key-docs.ts';
import type { MemberDirectory, PublishPublicKey } from './members.ts';
import { spaceSweepCollections, sweepDocument, userSweepCollections } from './sweep.ts';
import type { SweepCollection, SweepResult } from './sweep.ts';

export interface KitKeysOptions {
  readonly userId: string;
  readonly storage: DeviceStorage;
  /** Prefix of device storage keys (sweep sentinels). */
  readonly storagePrefix: string;
  readonly members?: MemberDirectory;
  readonly publishPublicKey?: PublishPublicKey;
  /** scrypt parameters for a passphrase set now (first unlock). */
  readonly scryptParams?: ScryptParams;
}

/** A document the keys look after: the user doc or an open Space doc. */
export interface KeyedDoc {
  readonly doc: Y.Doc;
  /** Writes one update of the current state over the stored history (at-rest compaction). */
  compact?(): Promise<void>;
  /** False for read-only Spaces (viewers, newer schema): no keyring or sweep writes. */
  writable(): boolean;
  /** The local user's role in the Space. */
  role(): Role | undefined;
}

interface SpaceEntry extends KeyedDoc {
  readonly off: () => void;
  /** Epoch → Space key this device opened from the keyring. */
  held: Map<KeyEpoch, Uint8Array>;
  signature: string;
}

export class KitKeys {
  readonly spaceKeys = new SpaceKeys();
  readonly codec = new CipherCodec(this.spaceKeys);
  readonly codecs: CodecSource;
  /** Test hook: runs before each swept collection; throwing fails that collection. */
  beforeSweepCollection?: (fieldSpaceId: string, collection: CollectionName) => void;

  readonly #options: KitKeysOptions;
  readonly #spaces = new Map<string, SpaceEntry>();
  readonly #lockListeners = new Set<(locked: boolean) => void>();
  readonly #errorListeners = new Set<(error: unknown) => void>();
  #user: KeyedDoc | undefined;
  #origin: SystemOrigin | undefined;
  #identity: IdentityKeyPair | undefined;
  /** Derives the epoch-1 keys of Spaces this user owns; held only while unlocked. */
  #spaceKeyRoot: Uint8Array | undefined;
  #unlocking: Promise<void> | undefined;
  #destroyed = false;

  constructor(options: KitKeysOptions) {
    this.#options = options;
    const keys = this.spaceKeys;
    const userScope = userFieldScope(options.userId);
    this.codecs = {
      codecFor: () => this.codec,
      subscribe: (listener: (scope?: CodecScope) => void) =>
        keys.onChange((change) => {
          if (change.kind !== 'keys') return listener(undefined);
          listener(
            change.spaceId === userScope
              ? { kind: 'user', id: options.userId }
              : { kind: 'space', id: change.spaceId },
          );
        }),
    };
  }

  /** True while no keys are in memory. */
  get locked(): boolean {
    return !this.spaceKeys.unlocked;
  }

  /** This user's identity public key (base64url) while unlocked. */
  get publicKey(): string | undefined {
    return this.#identity ? exportPublicKey(this.#identity.publicKey) : undefined;
  }

  /** Binds the user doc (before any unlock). */
  bindUser(user: KeyedDoc, origin: SystemOrigin): void {
    this.#user = user;
    this.#origin = origin;
  }

  /**
   * Opens the user's keys from the user doc (creating them on the first unlock ever), then the
   * keyrings of the open Spaces, then sweeps and compacts. Rejects with WrongPassphraseError
   * (nothing written) for a wrong passphrase.
   */
  unlock(input: UnlockInput): Promise<void> {
    if (typeof input !== 'object' || input === null) {
      throw new TypeError('input must be { passphrase } or { masterKey }');
    }
    if ('passphrase' in input && (typeof input.passphrase !== 'string' || !input.passphrase)) {
      throw new TypeError('input.passphrase must be a non-empty string');
    }
    const run = (this.#unlocking ?? Promise.resolve()).then(() => this.#unlock(input));
    this.#unlocking = run.catch(() => undefined);
    return run;
  }

  /** Forgets every key and decrypted value; sealed fields read as locked again. */
  lock(): void {
    if (this.locked) return;
    this.#identity?.privateKey.fill(0);
    this.#identity = undefined;
    this.#spaceKeyRoot?.fill(0);
    this.#spaceKeyRoot = undefined;
    for (const entry of this.#spaces.values()) {
      for (const key of entry.held.values()) key.fill(0);
      entry.held = new Map();
      entry.signature = '';
    }
    this.spaceKeys.lock();
    this.#emitLock();
  }

  /** Calls `listener(locked)` after every lock and unlock; returns an unsubscribe function. */
  onLockChanged(listener: (locked: boolean) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }

  /**
   * Calls `listener(error)` when a task nobody awaits fails (publishing the public key, sharing
   * keys after unlock); returns an unsubscribe function. The task is tried again on its next
   * trigger (unlock, opening the Space).
   */
  onBackgroundError(listener: (error: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Starts looking after an open Space: reads its keyring now (if unlocked) and whenever it
   * changes, creates epoch 1 when the owner opens a Space without one, shares keys and sweeps.
   * Stops when the document is destroyed.
   */
  attachSpace(spaceId: string, keyed: KeyedDoc): void {
    const map = keyringMap(keyed.doc);
    const onKeyring = () => this.#loadSpace(spaceId);
    map.observe(onKeyring);
    const onDestroy = () => this.#detach(spaceId);
    keyed.doc.on('destroy', onDestroy);
    const off = () => {
      map.unobserve(onKeyring);
      keyed.doc.off('destroy', onDestroy);
    };
    this.#detach(spaceId);
    this.#spaces.set(spaceId, { ...keyed, off, held: new Map(), signature: '' });
    if (!this.locked) void this.#afterSpaceUnlocked(spaceId);
  }

  /**
   * Seals every Space key this device holds for each member (from the MemberDirectory) who has
   * a public key and is missing an entry: members who joined get the keys. Returns the number of
   * entries added. Safe to run any number of times, by any key holder.
   */
  async shareKeys(spaceId: string): Promise<number> {
    const entry = this.#spaces.get(spaceId);
    const directory = this.#options.members;
    if (!entry || !directory || this.locked || !entry.writable() || entry.held.size === 0) return 0;
    const members = await directory.list(spaceId);
    if (this.locked || this.#spaces.get(spaceId) !== entry) return 0;

    let added = 0;
    for (const member of members) {
      if (!member.publicKey || member.userId === this.#options.userId) continue;
      const publicKey = importPublicKey(member.publicKey, 'member.publicKey');
      const entries = shareWithMember(spaceId, readKeyring(entry.doc), entry.held, {
        id: member.userId,
        publicKey,
      });
      added += addKeyringEntries(entry.doc, entries, this.#systemOrigin());
    }
    return added;
  }

  /**
   * Starts a new epoch of a Space sealed only for the remaining members (the directory's list
   * without `removedUserId`, plus this user); new writes use it. Call after the server removed
   * the member. Returns the new epoch.
   *
   * Limit: members without a published public key get the new epoch later through shareKeys.
   */
  async rotateForRemoval(spaceId: string, removedUserId: string): Promise<KeyEpoch> {
    if (typeof removedUserId !== 'string' || removedUserId === '') {
      throw new TypeError('removedUserId must be a non-empty string');
    }
    const entry = this.#spaces.get(spaceId);
    if (!entry) throw new RangeError(`spaceId "${spaceId}" is not open`);
    const identity = this.#requireIdentity();
    const listed = (await this.#options.members?.list(spaceId)) ?? [];
    const remaining: KeyringMember[] = [
      { id: this.#options.userId, publicKey: identity.publicKey },
    ];
    for (const member of listed) {
      if (member.userId === removedUserId || member.userId === this.#options.userId) continue;
      if (member.publicKey) {
        remaining.push({ id: member.userId, publicKey: importPublicKey(member.publicKey) });
      }
    }
    const next = rotateForRemoval(spaceId, readKeyring(entry.doc), remaining);
    addKeyringEntries(entry.doc, next.entries, this.#systemOrigin());
    this.#loadSpace(spaceId);
    return next.epoch;
  }

  /** Sweeps and compacts one Space now (normally done after unlock and on open). */
  async sweepSpace(spaceId: string): Promise<SweepResult | undefined> {
    const entry = this.#spaces.get(spaceId);
    if (!entry) return undefined;
    return this.#sweep(entry, spaceId, spaceSweepCollections);
  }

  /** Locks, stops looking after every document and drops every listener. */
  destroy(): void {
    this.#destroyed = true;
    this.lock();
    for (const id of [...this.#spaces.keys()]) this.#detach(id);
    this.#lockListeners.clear();
    this.#errorListeners.clear();
    this.codec.destroy();
    this.spaceKeys.destroy();
  }

  async #unlock(input: UnlockInput): Promise<void> {
    const user = this.#user;
    if (!user || this.#destroyed) throw new Error('The kit has no user document (destroyed?)');
    const userId = this.#options.userId;
    const unlocked = await unlockUserKeys(userId, input, readStoredUserKeys(user.doc), {
      scryptParams: this.#options.scryptParams,
    });
    if (this.#destroyed) return;

    this.lock();
    writeStoredUserKeys(
      user.doc,
      unlocked.toStore,
      unlocked.identity.publicKey,
      this.#systemOrigin(),
    );
    this.#identity = unlocked.identity;
    this.#spaceKeyRoot = unlocked.spaceKeyRoot;
    unlocked.masterKey.fill(0);
    this.spaceKeys.unlock();
    this.spaceKeys.setSpaceKeys(userFieldScope(userId), new Map([[1, unlocked.userKey]]), 1);
    this.#emitLock();

    const publicKey = exportPublicKey(unlocked.identity.publicKey);
    this.#background(this.#options.publishPublicKey?.(publicKey));
    await this.#sweep(user, userFieldScope(userId), userSweepCollections);
    await Promise.all([...this.#spaces.keys()].map((id) => this.#afterSpaceUnlocked(id)));
  }

  async #afterSpaceUnlocked(spaceId: string): Promise<void> {
    this.#loadSpace(spaceId);
    const entry = this.#spaces.get(spaceId);
    if (!entry) return;
    this.#background(this.shareKeys(spaceId));
    await this.#sweep(entry, spaceId, spaceSweepCollections);
  }

  /** Opens what the keyring seals for this user; creates epoch 1 for an owner without one. */
  #loadSpace(spaceId: string): void {
    const entry = this.#spaces.get(spaceId);
    const identity = this.#identity;
    const root = this.#spaceKeyRoot;
    if (!entry || !identity || !root || this.locked) return;

    let keyring = readKeyring(entry.doc);
    if (Object.keys(keyring).length === 0 && entry.role() === Role.owner && entry.writable()) {
      // The owner's epoch-1 key is derived from their master key, so every device of the owner
      // that opens the Space before the keyring synced seals the same key: the entries they
      // write are interchangeable and whatever merges last opens to the same key.
      const me = { id: this.#options.userId, publicKey: identity.publicKey };
      const spaceKey = deriveFirstSpaceKey(root, spaceId);
      const created = createKeyring(spaceId, [me], { spaceKey });
      spaceKey.fill(0);
      addKeyringEntries(entry.doc, created.entries, this.#systemOrigin());
      keyring = readKeyring(entry.doc);
    }
    const me = { id: this.#options.userId, privateKey: identity.privateKey };
    const opened = openEpochKeys(spaceId, keyring, me);
    if (opened.currentEpoch === undefined || opened.keys.size === 0) return;
    // The current epoch (a newer epoch we hold no key for stops our writes) and the key ids, not
    // just the epochs: an entry replaced by a merge with another key must reach the codec.
    const held = [...opened.keys]
      .sort(([a], [b]) => a - b)
      .map(([epoch, key]) => `${epoch}:${spaceKeyId(key)}`);
    const signature = `${opened.currentEpoch}|${held.join(',')}`;
    if (signature === entry.signature) return;
    entry.held = opened.keys;
    entry.signature = signature;
    this.spaceKeys.setSpaceKeys(spaceId, opened.keys, opened.currentEpoch);
  }

  async #sweep(
    keyed: KeyedDoc,
    fieldSpaceId: string,
    collections: readonly SweepCollection[],
  ): Promise<SweepResult | undefined> {
    if (this.locked || !keyed.writable()) return undefined;
    const result = sweepDocument(
      { doc: keyed.doc, fieldSpaceId, collections },
      {
        codec: this.codec,
        origin: this.#systemOrigin(),
        storage: this.#options.storage,
        sentinelPrefix: `${this.#options.storagePrefix}:${this.#options.userId}`,
        beforeCollection: this.beforeSweepCollection,
      },
    );
    if (result.needsCompaction) await keyed.compact?.();
    return result;
  }

  #detach(spaceId: string): void {
    const entry = this.#spaces.get(spaceId);
    if (!entry) return;
    entry.off();
    this.#spaces.delete(spaceId);
  }

  #requireIdentity(): IdentityKeyPair {
    if (!this.#identity) throw new Error('The kit is locked: unlock it first');
    return this.#identity;
  }

  #systemOrigin(): SystemOrigin {
    if (!this.#origin) throw new Error('The kit has no user document');
    return this.#origin;
  }

  #emitLock(): void {
    const locked = this.locked;
    for (const listener of [...this.#lockListeners]) listener(locked);
  }

  /** Runs a task nobody awaits; its failure is reported to listeners, never thrown at the host. */
  #background(task: Promise<unknown> | undefined): void {
    task?.catch((error: unknown) => {
      if (this.#destroyed) return;
      for (const listener of [...this.#errorListeners]) listener(error);
    });
  }
}
