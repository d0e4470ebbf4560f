// A Space's keyring: its Space keys, one per epoch, each sealed separately for each member.
// Pure functions over a plain JSON value; the store keeps it in the Space document.
//
// Shape: a flat map of independent entries keyed `${epoch}:${memberId}`, meant to live as one
// Y.Map whose values are KeyringEntry objects. Two members sharing keys with two newcomers at
// once write different map keys and both survive; nothing is ever one big blob rewritten.
// The current epoch is not stored: it is the highest epoch of any entry, so it merges too.
//
// Limit: two admins who each remove a member at the same moment both create epoch N+1 with
// different keys. keyId tells them apart (epochConflicts); the integration should then rotate
// once more so a single newest epoch wins.

import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { KEY_LENGTH, randomKey } from './aead.ts';
import { assertBytes, toBase64Url, utf8Encode } from './encoding.ts';
import { MAX_EPOCH, assertEpoch } from './field-cipher.ts';
import type { KeyEpoch } from './field-cipher.ts';
import { openSpaceKey, sealSpaceKey } from './sealed-box.ts';
import type { SealedSpaceKey } from './sealed-box.ts';

/** One Space key of one epoch, sealed for one member. */
export interface KeyringEntry {
  readonly epoch: KeyEpoch;
  readonly memberId: string;
  /** Derived from the key itself: equal in every entry of an epoch unless rotations collided. */
  readonly keyId: string;
  /** Milliseconds since the epoch (Unix), when this entry was sealed. Informational. */
  readonly createdAt: number;
  readonly sealed: SealedSpaceKey;
}

/** Entries keyed by keyringEntryKey(epoch, memberId). */
export type Keyring = Readonly<Record<string, KeyringEntry>>;

/** A member as the keyring needs them: id and published identity public key. */
export interface KeyringMember {
  readonly id: string;
  readonly publicKey: Uint8Array;
}

/** A freshly made epoch: its key (for this device's SpaceKeys) and the entries to store. */
export interface NewEpoch {
  readonly epoch: KeyEpoch;
  readonly spaceKey: Uint8Array;
  readonly keyId: string;
  readonly entries: Keyring;
}

export interface KeyringOptions {
  /** The clock for createdAt; defaults to Date.now. */
  readonly now?: () => number;
  /** The new epoch's key (32 bytes); a fresh random key when absent. */
  readonly spaceKey?: Uint8Array;
}

/** The map key of the entry of `memberId` in `epoch`. */
export function keyringEntryKey(epoch: KeyEpoch, memberId: string): string {
  return `${epoch}:${memberId}`;
}

const keyIdInfo = utf8Encode('space-kit/key-id/v1');

/** A short public fingerprint of a Space key (one-way: it reveals nothing about the key). */
export function spaceKeyId(spaceKey: Uint8Array): string {
  assertBytes(spaceKey, KEY_LENGTH, 'spaceKey');
  return toBase64Url(hkdf(sha256, spaceKey, undefined, keyIdInfo, 12));
}

function assertMembers(members: readonly KeyringMember[], argument: string): void {
  if (!Array.isArray(members) || members.length === 0) {
    throw new TypeError(`${argument} must be a non-empty array of members`);
  }
  const seen = new Set<string>();
  members.forEach((member, index) => {
    if (typeof member?.id !== 'string' || member.id === '' || member.id.includes(':')) {
      throw new TypeError(`${argument}[${index}].id must be a non-empty string without ':'`);
    }
    if (seen.has(member.id)) throw new TypeError(`${argument}[${index}].id is a duplicate`);
    seen.add(member.id);
    assertBytes(member.publicKey, KEY_LENGTH, `${argument}[${index}].publicKey`);
  });
}

function sealEntry(
  spaceId: string,
  spaceKey: Uint8Array,
  epoch: KeyEpoch,
  member: KeyringMember,
  now: number,
): KeyringEntry {
  const sealed = sealSpaceKey(spaceKey, { spaceId, epoch, memberId: member.id }, member.publicKey);
  return { epoch, memberId: member.id, keyId: spaceKeyId(spaceKey), createdAt: now, sealed };
}

function newEpoch(
  spaceId: string,
  epoch: KeyEpoch,
  members: readonly KeyringMember[],
  options: KeyringOptions,
): NewEpoch {
  if (
    options.spaceKey !== undefined &&
    !(options.spaceKey instanceof Uint8Array && options.spaceKey.length === 32)
  ) {
    throw new TypeError('options.spaceKey must be 32 bytes');
  }
  const spaceKey = options.spaceKey ? options.spaceKey.slice() : randomKey();
  const now = (options.now ?? Date.now)();
  const entries: Record<string, KeyringEntry> = {};
  for (const member of members) {
    entries[keyringEntryKey(epoch, member.id)] = sealEntry(spaceId, spaceKey, epoch, member, now);
  }
  return { epoch, spaceKey, keyId: spaceKeyId(spaceKey), entries };
}

/** The entries that are well-formed and stored under their own key; synced data may be junk. */
function validEntries(keyring: Keyring): KeyringEntry[] {
  if (typeof keyring !== 'object' || keyring === null)
    throw new TypeError('keyring must be an object');
  return Object.entries(keyring)
    .filter(([key, entry]) => {
      if (typeof entry !== 'object' || entry === null) return false;
      const { epoch, memberId } = entry;
      const epochOk = Number.isInteger(epoch) && epoch >= 0 && epoch <= MAX_EPOCH;
      return epochOk && typeof memberId === 'string' && key === keyringEntryKey(epoch, memberId);
    })
    .map(([, entry]) => entry);
}

/** The newest epoch of the keyring (the one new writes use), or undefined when it is empty. */
export function currentEpoch(keyring: Keyring): KeyEpoch | undefined {
  let newest: KeyEpoch | undefined;
  for (const entry of validEntries(keyring))
    if (newest === undefined || entry.epoch > newest) newest = entry.epoch;
  return newest;
}

/** Epoch 1 of a new Space, sealed for each of `members` (usually just the creator). */
export function createKeyring(
  spaceId: string,
  members: readonly KeyringMember[],
  options: KeyringOptions = {},
): NewEpoch {
  assertMembers(members, 'members');
  return newEpoch(spaceId, 1, members, options);
}

/**
 * A new epoch after a member left or was removed, sealed only for `remainingMembers`. Values
 * written under it cannot be read with anything the removed member holds.
 * Limit: a removed member keeps the keys of earlier epochs and what they could already read.
 */
export function rotateForRemoval(
  spaceId: string,
  keyring: Keyring,
  remainingMembers: readonly KeyringMember[],
  options: KeyringOptions = {},
): NewEpoch {
  assertMembers(remainingMembers, 'remainingMembers');
  const epoch = (currentEpoch(keyring) ?? 0) + 1;
  assertEpoch(epoch, 'next epoch');
  return newEpoch(spaceId, epoch, remainingMembers, options);
}

/**
 * Entries that give `member` every key in `heldKeys` (epoch → Space key, as openEpochKeys
 * returns) that the keyring does not already seal for them. Empty when nothing is missing, so
 * a member who joins can be handled by whichever member sees them first, any number of times.
 */
export function shareWithMember(
  spaceId: string,
  keyring: Keyring,
  heldKeys: ReadonlyMap<KeyEpoch, Uint8Array>,
  member: KeyringMember,
  options: KeyringOptions = {},
): Keyring {
  assertMembers([member], 'member');
  const existing = new Set(
    validEntries(keyring).map((entry) => keyringEntryKey(entry.epoch, entry.memberId)),
  );
  const now = (options.now ?? Date.now)();
  const entries: Record<string, KeyringEntry> = {};
  for (const [epoch, spaceKey] of heldKeys) {
    assertEpoch(epoch, 'heldKeys epoch');
    const key = keyringEntryKey(epoch, member.id);
    if (!existing.has(key)) entries[key] = sealEntry(spaceId, spaceKey, epoch, member, now);
  }
  return entries;
}

/** Ids among `memberIds` with no entry in the current epoch: they are waiting for a share. */
export function membersWithoutCurrentKey(keyring: Keyring, memberIds: readonly string[]): string[] {
  const epoch = currentEpoch(keyring);
  if (epoch === undefined) return [...memberIds];
  return memberIds.filter((id) => keyring[keyringEntryKey(epoch, id)] === undefined);
}

/** Epochs whose entries carry more than one keyId (concurrent rotations collided). */
export function epochConflicts(keyring: Keyring): KeyEpoch[] {
  const ids = new Map<KeyEpoch, Set<string>>();
  for (const entry of validEntries(keyring)) {
    const set = ids.get(entry.epoch) ?? new Set<string>();
    set.add(entry.keyId);
    ids.set(entry.epoch, set);
  }
  return [...ids].filter(([, set]) => set.size > 1).map(([epoch]) => epoch);
}

/** What a member can open of a keyring. */
export interface OpenedKeyring {
  /** Space key per epoch this member holds. */
  readonly keys: Map<KeyEpoch, Uint8Array>;
  /** The keyring's newest epoch (which may be missing from `keys`). */
  readonly currentEpoch: KeyEpoch | undefined;
  /** Epochs with an entry for this member that did not open (changed, or for another key). */
  readonly unreadable: KeyEpoch[];
}

/** Opens every entry sealed for `me` with their identity private key. Never throws on bad data. */
export function openEpochKeys(
  spaceId: string,
  keyring: Keyring,
  me: { readonly id: string; readonly privateKey: Uint8Array },
): OpenedKeyring {
  assertBytes(me?.privateKey, KEY_LENGTH, 'me.privateKey');
  const keys = new Map<KeyEpoch, Uint8Array>();
  const unreadable: KeyEpoch[] = [];
  const entries = validEntries(keyring);
  for (const entry of entries.filter((candidate) => candidate.memberId === me.id)) {
    const slot = { spaceId, epoch: entry.epoch, memberId: me.id };
    const spaceKey = openSpaceKey(entry.sealed, slot, me.privateKey);
    // The keyId check catches a box that opens but carries another key than the entry claims.
    if (spaceKey !== undefined && spaceKeyId(spaceKey) === entry.keyId)
      keys.set(entry.epoch, spaceKey);
    else unreadable.push(entry.epoch);
  }
  return { keys, currentEpoch: currentEpoch(keyring), unreadable };
}
