// The per-user master key: 32 random bytes that unwrap everything else the user holds. It is
// either handed in by the host (its own key vault) or wrapped by a passphrase through scrypt;
// the wrapped form is a plain JSON value that syncs in the user document.

import { hkdf } from '@noble/hashes/hkdf.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/ciphers/utils.js';

import { KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH, openBytes, randomKey, sealBytes } from './aead.ts';
import { assertBytes, frame, fromBase64Url, toBase64Url } from './encoding.ts';

/** scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Measured with Node 20 on the 2-core development machine: N = 2^15 takes about 260 ms and
 * 32 MiB (2^14 ≈ 130 ms, 2^16 ≈ 420 ms). Stored with each wrap, so it can rise later without
 * breaking keys wrapped before.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/** A master key wrapped by a passphrase. JSON-serialisable; all byte fields are base64url. */
export interface PassphraseWrappedKey {
  readonly version: 1;
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  /** 16 random bytes. */
  readonly salt: string;
  /** 24 random bytes. */
  readonly nonce: string;
  /** The master key under XChaCha20-Poly1305 with the scrypt output as key (48 bytes). */
  readonly ciphertext: string;
}

/** The passphrase does not open the wrapped key (or the wrapped key was changed). */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor() {
    super('Wrong passphrase: it does not unlock this master key');
  }
}

const SALT_LENGTH = 16;
// Upper bounds refuse a synced wrap that would make this device spend minutes or gigabytes.
const MAX_N = 2 ** 20;
const MAX_MEMORY = 2 ** 30;

/** 32 fresh random bytes. */
export function createMasterKey(): Uint8Array {
  return randomKey();
}

/**
 * The key that seals the sensitive fields of a user's own document (preset names and tags, the
 * Space list's names). Derived, not stored: every device that unlocks the master key has it.
 * Bound to `userId`, so two users never share it even if a host reused a master key.
 */
export function deriveUserKey(masterKey: Uint8Array, userId: string): Uint8Array {
  assertMasterKey(masterKey);
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError('userId must be a non-empty string');
  }
  return hkdf(
    sha256,
    masterKey,
    undefined,
    frame(['space-kit/user-key', 'v1', userId]),
    KEY_LENGTH,
  );
}

/**
 * The root of the first-epoch keys of the Spaces a user creates. Derived, like the user key, so
 * every device of the user computes the same root and, from it, the same epoch-1 key of a Space
 * (`deriveFirstSpaceKey`): two devices of the owner that open a new Space before they synced
 * seal the same key instead of two competing ones.
 */
export function deriveSpaceKeyRoot(masterKey: Uint8Array, userId: string): Uint8Array {
  assertMasterKey(masterKey);
  if (typeof userId !== 'string' || userId === '') {
    throw new TypeError('userId must be a non-empty string');
  }
  return hkdf(sha256, masterKey, undefined, frame(['space-kit/space-key-root', 'v1', userId]), 32);
}

/** The epoch-1 key of `spaceId` for the owner holding `root`. One-way: it reveals no root. */
export function deriveFirstSpaceKey(root: Uint8Array, spaceId: string): Uint8Array {
  if (!(root instanceof Uint8Array) || root.length !== 32) {
    throw new TypeError('root must be 32 bytes');
  }
  if (typeof spaceId !== 'string' || spaceId === '') {
    throw new TypeError('spaceId must be a non-empty string');
  }
  return hkdf(sha256, root, undefined, frame(['space-kit/first-space-key', 'v1', spaceId]), 32);
}

/** Throws a TypeError naming `argument` unless `masterKey` is 32 bytes. */
export function assertMasterKey(
  masterKey: unknown,
  argument = 'masterKey',
): asserts masterKey is Uint8Array {
  assertBytes(masterKey, KEY_LENGTH, argument);
}

function assertScryptParams(params: ScryptParams, argument: string): void {
  const { N, r, p } = params;
  const isPowerOfTwo = Number.isInteger(N) && N >= 2 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N) {
    throw new RangeError(`${argument}.N must be a power of two up to ${MAX_N} (got ${N})`);
  }
  if (!Number.isInteger(r) || r < 1 || 128 * N * r > MAX_MEMORY) {
    throw new RangeError(
      `${argument}.r must be a positive integer with 128·N·r ≤ 1 GiB (got ${r})`,
    );
  }
  if (!Number.isInteger(p) || p < 1 || p > 16) {
    throw new RangeError(`${argument}.p must be an integer from 1 to 16 (got ${p})`);
  }
}

// NFKC: the same passphrase typed on two systems that compose accents differently must match.
function normalizePassphrase(passphrase: unknown): string {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TypeError('passphrase must be a non-empty string');
  }
  return passphrase.normalize('NFKC');
}

function deriveWrappingKey(passphrase: string, salt: Uint8Array, params: ScryptParams) {
  const { N, r, p } = params;
  return scryptAsync(passphrase, salt, { N, r, p, dkLen: KEY_LENGTH, maxmem: MAX_MEMORY + 4096 });
}

function wrapAssociatedData(params: ScryptParams, salt: Uint8Array): Uint8Array {
  return frame(['space-kit/master-key', 'v1', 'scrypt', params.N, params.r, params.p, salt]);
}

/**
 * Wraps `masterKey` with a key derived from `passphrase` by scrypt (async, so a UI thread keeps
 * responding during the ~quarter second it takes with the default parameters).
 */
export async function wrapMasterKeyWithPassphrase(
  masterKey: Uint8Array,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<PassphraseWrappedKey> {
  assertMasterKey(masterKey);
  const normalized = normalizePassphrase(passphrase);
  assertScryptParams(params, 'params');

  const salt = randomBytes(SALT_LENGTH);
  const wrappingKey = await deriveWrappingKey(normalized, salt, params);
  const box = sealBytes(wrappingKey, masterKey, wrapAssociatedData(params, salt));
  wrappingKey.fill(0);
  return {
    version: 1,
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: toBase64Url(salt),
    nonce: toBase64Url(box.subarray(0, NONCE_LENGTH)),
    ciphertext: toBase64Url(box.subarray(NONCE_LENGTH)),
  };
}

/** Checks a wrapped key read from storage; TypeError/RangeError naming the bad field. */
function parseWrappedKey(wrapped: unknown): {
  params: ScryptParams;
  salt: Uint8Array;
  box: Uint8Array;
} {
  if (typeof wrapped !== 'object' || wrapped === null)
    throw new TypeError('wrapped must be an object');
  const value = wrapped as Partial<PassphraseWrappedKey>;
  if (value.version !== 1) throw new TypeError(`wrapped.version must be 1 (got ${value.version})`);
  if (value.kdf !== 'scrypt')
    throw new TypeError(`wrapped.kdf must be 'scrypt' (got ${value.kdf})`);
  const params = { N: value.N!, r: value.r!, p: value.p! };
  assertScryptParams(params, 'wrapped');

  const salt = fromBase64Url(value.salt!);
  const nonce = fromBase64Url(value.nonce!);
  const ciphertext = fromBase64Url(value.ciphertext!);
  if (salt?.length !== SALT_LENGTH) throw new TypeError('wrapped.salt must be 16 base64url bytes');
  if (nonce?.length !== NONCE_LENGTH)
    throw new TypeError('wrapped.nonce must be 24 base64url bytes');
  if (ciphertext?.length !== KEY_LENGTH + TAG_LENGTH) {
    throw new TypeError('wrapped.ciphertext must be 48 base64url bytes');
  }
  const box = new Uint8Array(NONCE_LENGTH + ciphertext.length);
  box.set(nonce);
  box.set(ciphertext, NONCE_LENGTH);
  return { params, salt, box };
}

/**
 * The master key inside `wrapped`. Rejects with WrongPassphraseError when the passphrase does
 * not open it; nothing is returned or changed in that case.
 */
export async function unwrapMasterKey(
  wrapped: PassphraseWrappedKey,
  passphrase: string,
): Promise<Uint8Array> {
  const normalized = normalizePassphrase(passphrase);
  const { params, salt, box } = parseWrappedKey(wrapped);

  const wrappingKey = await deriveWrappingKey(normalized, salt, params);
  const masterKey = openBytes(wrappingKey, box, wrapAssociatedData(params, salt));
  wrappingKey.fill(0);
  if (masterKey === undefined) throw new WrongPassphraseError();
  return masterKey;
}
