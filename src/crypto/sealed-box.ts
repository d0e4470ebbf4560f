// Sealing a Space key for one member: an anonymous sealed box. A fresh ephemeral X25519 key
// agrees a secret with the member's public identity key; HKDF-SHA256 turns it into a one-time
// key; XChaCha20-Poly1305 encrypts the Space key. Only the member's private key opens it.
//
// Limit: the box does not say who sealed it. Anyone who may write the keyring (any member, or a
// malicious server) can seal a key of their choosing for someone; see docs/security.md.

import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

import { KEY_LENGTH, openBytes, sealBytes } from './aead.ts';
import { assertBytes, frame, fromBase64Url, toBase64Url } from './encoding.ts';
import { assertEpoch } from './field-cipher.ts';
import type { KeyEpoch } from './field-cipher.ts';

/** A Space key sealed for one member. JSON-serialisable; byte fields are base64url. */
export interface SealedSpaceKey {
  readonly version: 1;
  /** The sender's one-time X25519 public key. */
  readonly ephemeralPublicKey: string;
  /** nonce || XChaCha20-Poly1305(Space key). */
  readonly box: string;
}

/** Which key a box carries and for whom: all of it is bound into the derivation. */
export interface SpaceKeySlot {
  readonly spaceId: string;
  readonly epoch: KeyEpoch;
  readonly memberId: string;
}

function assertSlot(slot: SpaceKeySlot): void {
  if (typeof slot?.spaceId !== 'string' || slot.spaceId === '') {
    throw new TypeError('slot.spaceId must be a non-empty string');
  }
  if (typeof slot.memberId !== 'string' || slot.memberId === '') {
    throw new TypeError('slot.memberId must be a non-empty string');
  }
  assertEpoch(slot.epoch, 'slot.epoch');
}

// The context binds Space, epoch, member and both public keys, so a box copied to another slot
// of the keyring, or re-labelled with another epoch, does not open.
function boxContext(slot: SpaceKeySlot, ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
  return frame([
    'space-kit/space-key',
    'v1',
    slot.spaceId,
    slot.epoch,
    slot.memberId,
    ephemeral,
    recipient,
  ]);
}

function boxKey(shared: Uint8Array, context: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, undefined, context, KEY_LENGTH);
}

/** Seals `spaceKey` for the member of `slot` whose identity public key is `recipientPublicKey`. */
export function sealSpaceKey(
  spaceKey: Uint8Array,
  slot: SpaceKeySlot,
  recipientPublicKey: Uint8Array,
): SealedSpaceKey {
  assertBytes(spaceKey, KEY_LENGTH, 'spaceKey');
  assertSlot(slot);
  assertBytes(recipientPublicKey, KEY_LENGTH, 'recipientPublicKey');

  const ephemeral = x25519.keygen();
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(ephemeral.secretKey, recipientPublicKey);
  } catch {
    // A low-order point would give an all-zero secret anyone can compute.
    throw new TypeError('recipientPublicKey is not a usable X25519 public key');
  }
  const context = boxContext(slot, ephemeral.publicKey, recipientPublicKey);
  const key = boxKey(shared, context);
  const box = sealBytes(key, spaceKey, context);
  key.fill(0);
  shared.fill(0);
  ephemeral.secretKey.fill(0);
  return {
    version: 1,
    ephemeralPublicKey: toBase64Url(ephemeral.publicKey),
    box: toBase64Url(box),
  };
}

/**
 * The Space key in `sealed`, opened with the member's identity private key; undefined when the
 * box is malformed, changed, for another slot, or for someone else.
 */
export function openSpaceKey(
  sealed: SealedSpaceKey,
  slot: SpaceKeySlot,
  recipientPrivateKey: Uint8Array,
): Uint8Array | undefined {
  assertSlot(slot);
  assertBytes(recipientPrivateKey, KEY_LENGTH, 'recipientPrivateKey');
  if (sealed?.version !== 1) return undefined;
  const ephemeral = fromBase64Url(sealed.ephemeralPublicKey);
  const box = fromBase64Url(sealed.box);
  if (ephemeral?.length !== KEY_LENGTH || box === undefined) return undefined;

  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(recipientPrivateKey, ephemeral);
  } catch {
    return undefined;
  }
  const context = boxContext(slot, ephemeral, x25519.getPublicKey(recipientPrivateKey));
  const key = boxKey(shared, context);
  const spaceKey = openBytes(key, box, context);
  key.fill(0);
  shared.fill(0);
  return spaceKey?.length === KEY_LENGTH ? spaceKey : undefined;
}
