// The one authenticated cipher every layer uses: XChaCha20-Poly1305 with a random 24-byte nonce
// stored in front of the ciphertext. 24-byte nonces are large enough to pick at random for the
// lifetime of a key without counting or coordinating between devices.

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';

import { assertBytes } from './encoding.ts';

/** Length of every symmetric key: master keys, Space keys, derived wrapping keys. */
export const KEY_LENGTH = 32;
export const NONCE_LENGTH = 24;
/** Poly1305 tag length: a box is NONCE_LENGTH + plaintext length + TAG_LENGTH bytes. */
export const TAG_LENGTH = 16;

/** 32 fresh random bytes from the platform's CSPRNG. */
export function randomKey(): Uint8Array {
  return randomBytes(KEY_LENGTH);
}

/**
 * Encrypts `plaintext` under `key`, authenticating `associatedData`; returns nonce || ciphertext.
 * `nonce` exists for known-answer tests only; callers leave it out and get a random one.
 */
export function sealBytes(
  key: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
  nonce: Uint8Array = randomBytes(NONCE_LENGTH),
): Uint8Array {
  assertBytes(key, KEY_LENGTH, 'key');
  assertBytes(nonce, NONCE_LENGTH, 'nonce');
  const ciphertext = xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
  const box = new Uint8Array(NONCE_LENGTH + ciphertext.length);
  box.set(nonce, 0);
  box.set(ciphertext, NONCE_LENGTH);
  return box;
}

/**
 * Decrypts a box made by sealBytes. Undefined when it is too short, was changed, was made with
 * another key or for other associated data: the caller decides how to report that.
 */
export function openBytes(
  key: Uint8Array,
  box: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array | undefined {
  assertBytes(key, KEY_LENGTH, 'key');
  if (box.length < NONCE_LENGTH + TAG_LENGTH) return undefined;
  try {
    const nonce = box.subarray(0, NONCE_LENGTH);
    return xchacha20poly1305(key, nonce, associatedData).decrypt(box.subarray(NONCE_LENGTH));
  } catch {
    return undefined;
  }
}
