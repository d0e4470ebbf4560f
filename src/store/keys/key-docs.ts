// Where key material lives in the documents: the user doc's `keys` map (wrapped master key,
// wrapped identity, public key) and each Space doc's `keyring` map (one entry per epoch and
// member, so concurrent shares merge as separate map keys).
import type * as Y from 'yjs';
import { exportPublicKey } from '../../crypto/identity.ts';
import type { Keyring, KeyringEntry } from '../../crypto/keyring.ts';
import type { StoredUserKeys } from '../../crypto/user-keys.ts';
import type { SystemOrigin } from '../scope.ts';

/** The user doc map of key material (all of it wrapped or public). */
export const USER_KEYS_MAP = 'keys';
/** The Space doc map of keyring entries keyed `${epoch}:${memberId}`. */
export const KEYRING_MAP = 'keyring';

/** The wrapped key material stored in the user doc (empty before the first unlock). */
export function readStoredUserKeys(userDoc: Y.Doc): StoredUserKeys {
  const map = userDoc.getMap<unknown>(USER_KEYS_MAP);
  const stored: { wrappedMasterKey?: never; wrappedIdentity?: never } = {};
  const wrappedMasterKey = map.get('wrappedMasterKey');
  const wrappedIdentity = map.get('wrappedIdentity');
  if (typeof wrappedMasterKey === 'object' && wrappedMasterKey !== null) {
    stored.wrappedMasterKey = wrappedMasterKey as never;
  }
  if (typeof wrappedIdentity === 'object' && wrappedIdentity !== null) {
    stored.wrappedIdentity = wrappedIdentity as never;
  }
  return stored;
}

/** Writes what a first unlock created (nothing when `toStore` is empty). */
export function writeStoredUserKeys(
  userDoc: Y.Doc,
  toStore: StoredUserKeys,
  publicKey: Uint8Array,
  origin: SystemOrigin,
): void {
  if (toStore.wrappedMasterKey === undefined && toStore.wrappedIdentity === undefined) return;
  const map = userDoc.getMap<unknown>(USER_KEYS_MAP);
  userDoc.transact(() => {
    if (toStore.wrappedMasterKey) map.set('wrappedMasterKey', toStore.wrappedMasterKey);
    if (toStore.wrappedIdentity) {
      map.set('wrappedIdentity', toStore.wrappedIdentity);
      map.set('publicKey', exportPublicKey(publicKey));
    }
  }, origin);
}

/** The keyring map of a Space doc. */
export function keyringMap(spaceDoc: Y.Doc): Y.Map<KeyringEntry> {
  return spaceDoc.getMap<KeyringEntry>(KEYRING_MAP);
}

/** The keyring as the pure keyring functions take it. */
export function readKeyring(spaceDoc: Y.Doc): Keyring {
  return Object.fromEntries(keyringMap(spaceDoc).entries());
}

/** Adds entries the map does not have yet, in one system transaction; returns how many. */
export function addKeyringEntries(spaceDoc: Y.Doc, entries: Keyring, origin: SystemOrigin): number {
  const map = keyringMap(spaceDoc);
  const fresh = Object.entries(entries).filter(([key]) => !map.has(key));
  if (fresh.length === 0) return 0;
  spaceDoc.transact(() => {
    for (const [key, entry] of fresh) map.set(key, entry);
  }, origin);
  return fresh.length;
}
