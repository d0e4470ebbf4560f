// A user's X25519 identity key pair. The public half is published (server, Space member lists)
// so others can seal Space keys for this user; the private half only ever leaves memory wrapped
// by the master key, in the user document.

import { x25519 } from '@noble/curves/ed25519.js';

import { KEY_LENGTH, openBytes, sealBytes } from './aead.ts';
import { assertBytes, frame, fromBase64Url, toBase64Url } from './encoding.ts';
import { assertMasterKey } from './master-key.ts';

/** An X25519 key pair; both halves are 32 bytes. */
export interface IdentityKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

/** An identity with its private half wrapped by the master key. JSON-serialisable. */
export interface WrappedIdentity {
  readonly version: 1;
  /** base64url of the 32-byte public key. */
  readonly publicKey: string;
  /** base64url of nonce || XChaCha20-Poly1305(private key). */
  readonly wrappedPrivateKey: string;
}

/** The master key does not open this wrapped identity, or it belongs to another user. */
export class IdentityUnwrapError extends Error {
  override readonly name = 'IdentityUnwrapError';
  constructor(reason: string) {
    super(`Cannot unwrap the identity key: ${reason}`);
  }
}

/** A fresh X25519 key pair. */
export function createIdentity(): IdentityKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { publicKey, privateKey: secretKey };
}

/** The public key as base64url, the form published to the server and member lists. */
export function exportPublicKey(publicKey: Uint8Array): string {
  assertBytes(publicKey, KEY_LENGTH, 'publicKey');
  return toBase64Url(publicKey);
}

/** Reads a published public key; TypeError naming `argument` when it is not 32 bytes. */
export function importPublicKey(text: string, argument = 'publicKey'): Uint8Array {
  const bytes = typeof text === 'string' ? fromBase64Url(text) : undefined;
  if (bytes?.length !== KEY_LENGTH) {
    throw new TypeError(`${argument} must be 32 bytes as base64url (got ${JSON.stringify(text)})`);
  }
  return bytes;
}

// Binding user id and public key: a wrapped private key pasted into another user's document, or
// paired with another public key, does not open.
function identityAssociatedData(userId: string, publicKey: Uint8Array): Uint8Array {
  return frame(['space-kit/identity', 'v1', userId, publicKey]);
}

function assertUserId(userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId === '')
    throw new TypeError('userId must be a non-empty string');
}

/** Wraps the private half of `identity` with `masterKey`, for storage in `userId`'s document. */
export function wrapIdentity(
  identity: IdentityKeyPair,
  masterKey: Uint8Array,
  userId: string,
): WrappedIdentity {
  assertBytes(identity?.publicKey, KEY_LENGTH, 'identity.publicKey');
  assertBytes(identity.privateKey, KEY_LENGTH, 'identity.privateKey');
  assertMasterKey(masterKey);
  assertUserId(userId);

  const box = sealBytes(
    masterKey,
    identity.privateKey,
    identityAssociatedData(userId, identity.publicKey),
  );
  return {
    version: 1,
    publicKey: toBase64Url(identity.publicKey),
    wrappedPrivateKey: toBase64Url(box),
  };
}

/**
 * The key pair inside `wrapped`. Throws IdentityUnwrapError when `masterKey` does not open it,
 * it was made for another user, or its halves do not belong together.
 */
export function unwrapIdentity(
  wrapped: WrappedIdentity,
  masterKey: Uint8Array,
  userId: string,
): IdentityKeyPair {
  assertMasterKey(masterKey);
  assertUserId(userId);
  if (wrapped?.version !== 1) throw new IdentityUnwrapError('unknown version');
  const publicKey = fromBase64Url(wrapped.publicKey);
  const box = fromBase64Url(wrapped.wrappedPrivateKey);
  if (publicKey?.length !== KEY_LENGTH || box === undefined) {
    throw new IdentityUnwrapError('malformed');
  }

  const privateKey = openBytes(masterKey, box, identityAssociatedData(userId, publicKey));
  if (privateKey?.length !== KEY_LENGTH) {
    throw new IdentityUnwrapError('wrong master key, another user, or changed');
  }
  const derived = x25519.getPublicKey(privateKey);
  if (toBase64Url(derived) !== wrapped.publicKey) {
    throw new IdentityUnwrapError('the public key does not match the private key');
  }
  return { publicKey, privateKey };
}
