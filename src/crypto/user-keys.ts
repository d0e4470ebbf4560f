// Unlocking a user: from a passphrase or a host-held master key, plus the wrapped key material
// stored in the user document, to the keys in memory. Pure: it returns what should be written to
// the user document instead of writing it, and on any failure returns nothing to write.

import { createIdentity, unwrapIdentity, wrapIdentity } from './identity.ts';
import type { IdentityKeyPair, WrappedIdentity } from './identity.ts';
import {
  DEFAULT_SCRYPT_PARAMS,
  assertMasterKey,
  createMasterKey,
  deriveSpaceKeyRoot,
  deriveUserKey,
  unwrapMasterKey,
  wrapMasterKeyWithPassphrase,
} from './master-key.ts';
import type { PassphraseWrappedKey, ScryptParams } from './master-key.ts';

/** What `kit.unlock(...)` takes. */
export type UnlockInput = { readonly passphrase: string } | { readonly masterKey: Uint8Array };

/** Key material kept in the user document (synced to the user's devices, wrapped). */
export interface StoredUserKeys {
  readonly wrappedMasterKey?: PassphraseWrappedKey;
  readonly wrappedIdentity?: WrappedIdentity;
}

/** The keys of an unlocked user, and what to add to the user document. */
export interface UnlockedUser {
  readonly masterKey: Uint8Array;
  readonly identity: IdentityKeyPair;
  /** Seals the user document's own sensitive fields (deriveUserKey). */
  readonly userKey: Uint8Array;
  /** Derives the epoch-1 keys of the Spaces this user creates (deriveSpaceKeyRoot). */
  readonly spaceKeyRoot: Uint8Array;
  /** Wrapped material created by this unlock (first unlock); empty when nothing is new. */
  readonly toStore: StoredUserKeys;
}

export interface UnlockOptions {
  /** scrypt parameters for a master key wrapped now (first unlock). */
  readonly scryptParams?: ScryptParams;
}

/**
 * Opens (or, on first unlock, creates) a user's keys. Rejects with WrongPassphraseError for a
 * wrong passphrase and IdentityUnwrapError for a host master key that does not fit the stored
 * identity; in both cases nothing is returned, so nothing can be written.
 *
 * Limit: two devices that unlock for the very first time while offline each create a master key;
 * the user document keeps one. The kit should create keys only after the user document synced.
 */
export async function unlockUserKeys(
  userId: string,
  input: UnlockInput,
  stored: StoredUserKeys = {},
  options: UnlockOptions = {},
): Promise<UnlockedUser> {
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError('userId must be a non-empty string');
  }
  if (typeof input !== 'object' || input === null) {
    throw new TypeError('input must be { passphrase } or { masterKey }');
  }
  const toStore: { wrappedMasterKey?: PassphraseWrappedKey; wrappedIdentity?: WrappedIdentity } =
    {};

  let masterKey: Uint8Array;
  if ('masterKey' in input) {
    assertMasterKey(input.masterKey, 'input.masterKey');
    masterKey = input.masterKey.slice();
  } else if (stored.wrappedMasterKey !== undefined) {
    masterKey = await unwrapMasterKey(stored.wrappedMasterKey, input.passphrase);
  } else {
    masterKey = createMasterKey();
    const params = options.scryptParams ?? DEFAULT_SCRYPT_PARAMS;
    toStore.wrappedMasterKey = await wrapMasterKeyWithPassphrase(
      masterKey,
      input.passphrase,
      params,
    );
  }

  let identity: IdentityKeyPair;
  if (stored.wrappedIdentity !== undefined) {
    identity = unwrapIdentity(stored.wrappedIdentity, masterKey, userId);
  } else {
    identity = createIdentity();
    toStore.wrappedIdentity = wrapIdentity(identity, masterKey, userId);
  }

  return {
    masterKey,
    identity,
    userKey: deriveUserKey(masterKey, userId),
    spaceKeyRoot: deriveSpaceKeyRoot(masterKey, userId),
    toStore,
  };
}
