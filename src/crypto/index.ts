// The cipher layer: field encryption, keys and keyrings. Takes bytes and context; knows no
// documents. See docs/security.md for what it protects and what it does not.

export * from './field-codec.ts';
export { toBase64Url, fromBase64Url, utf8Encode, utf8Decode, frame } from './encoding.ts';
export type { FramePart } from './encoding.ts';
export { KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH, randomKey } from './aead.ts';
export {
  MAX_EPOCH,
  assertEpoch,
  fieldAssociatedData,
  isSealedField,
  openField,
  parseSealedField,
  sealField,
  sealedFieldEpoch,
  serializeFieldValue,
} from './field-cipher.ts';
export type { EpochKeyLookup, KeyEpoch, ParsedField } from './field-cipher.ts';
export { SpaceKeys } from './space-keys.ts';
export type { CurrentSpaceKey, SpaceKeyChange, SpaceKeySource } from './space-keys.ts';
export { CipherCodec } from './cipher-codec.ts';
export type { CipherCodecOptions, CipherCodecStats } from './cipher-codec.ts';
export {
  DEFAULT_SCRYPT_PARAMS,
  WrongPassphraseError,
  assertMasterKey,
  createMasterKey,
  deriveFirstSpaceKey,
  deriveSpaceKeyRoot,
  deriveUserKey,
  unwrapMasterKey,
  wrapMasterKeyWithPassphrase,
} from './master-key.ts';
export type { PassphraseWrappedKey, ScryptParams } from './master-key.ts';
export {
  IdentityUnwrapError,
  createIdentity,
  exportPublicKey,
  importPublicKey,
  unwrapIdentity,
  wrapIdentity,
} from './identity.ts';
export type { IdentityKeyPair, WrappedIdentity } from './identity.ts';
export { unlockUserKeys } from './user-keys.ts';
export type { StoredUserKeys, UnlockInput, UnlockOptions, UnlockedUser } from './user-keys.ts';
export { openSpaceKey, sealSpaceKey } from './sealed-box.ts';
export type { SealedSpaceKey, SpaceKeySlot } from './sealed-box.ts';
export {
  createKeyring,
  currentEpoch,
  epochConflicts,
  keyringEntryKey,
  membersWithoutCurrentKey,
  openEpochKeys,
  rotateForRemoval,
  shareWithMember,
  spaceKeyId,
} from './keyring.ts';
export type {
  Keyring,
  KeyringEntry,
  KeyringMember,
  KeyringOptions,
  NewEpoch,
  OpenedKeyring,
} from './keyring.ts';
