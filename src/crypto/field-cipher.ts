// Field encryption: one sensitive value in, one versioned string out. Knows keys, epochs and
// contexts, but no documents; the codec (cipher-codec.ts) is what the store talks to.
//
// Stored form, version 1:   enc:v1:<epoch>:<base64url(nonce || ciphertext || tag)>
// Plaintext:                UTF-8 of JSON.stringify(value)
// Associated data:          frame('space-kit/field', 'v1', spaceId, collection, recordId, field,
// epoch)
// The epoch sits in the clear so a reader can pick the key, and again in the associated data so
// rewriting it cannot make a value decrypt under another epoch's key.

import { NONCE_LENGTH, TAG_LENGTH, openBytes, sealBytes } from './aead.ts';
import { frame, fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from './encoding.ts';
import { LockReason, lockedValue } from './field-codec.ts';
import type { FieldContext, LockedValue } from './field-codec.ts';

/** A key epoch: a non-negative integer that fits 32 bits. */
export type KeyEpoch = number;

export const MAX_EPOCH = 0xffffffff;
const PREFIX = 'enc:';
const VERSION = 'v1';
const sealedPattern = /^enc:v[0-9]+:/;
const epochPattern = /^(0|[1-9][0-9]{0,9})$/;

/** Throws a RangeError naming `argument` unless `epoch` is a valid key epoch. */
export function assertEpoch(epoch: unknown, argument = 'epoch'): asserts epoch is KeyEpoch {
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) {
    throw new RangeError(`${argument} must be an integer from 0 to ${MAX_EPOCH} (got ${epoch})`);
  }
}

function assertContext(context: FieldContext): void {
  if (typeof context !== 'object' || context === null) {
    throw new TypeError('context must be a FieldContext object');
  }
  for (const name of ['spaceId', 'collection', 'recordId', 'field'] as const) {
    if (typeof context[name] !== 'string' || context[name] === '') {
      throw new TypeError(`context.${name} must be a non-empty string`);
    }
  }
}

/** The associated data of a version-1 field value: binds it to its place and epoch. */
export function fieldAssociatedData(context: FieldContext, epoch: KeyEpoch): Uint8Array {
  const { spaceId, collection, recordId, field } = context;
  return frame(['space-kit/field', VERSION, spaceId, collection, recordId, field, epoch]);
}

/**
 * The JSON text a value is encrypted as. Throws a TypeError naming `value` for what JSON cannot
 * carry (undefined, functions, symbols, BigInt, cycles). JSON rules apply: NaN becomes null.
 */
export function serializeFieldValue(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`value must be JSON-serialisable (${(error as Error).message})`);
  }
  if (json === undefined)
    throw new TypeError(`value must be JSON-serialisable (got ${typeof value})`);
  return json;
}

/** @internal Seals JSON text; `nonce` is for known-answer tests only. */
export function sealFieldJson(
  key: Uint8Array,
  epoch: KeyEpoch,
  context: FieldContext,
  json: string,
  nonce?: Uint8Array,
): string {
  assertEpoch(epoch);
  assertContext(context);
  const box = sealBytes(key, utf8Encode(json), fieldAssociatedData(context, epoch), nonce);
  return `${PREFIX}${VERSION}:${epoch}:${toBase64Url(box)}`;
}

/**
 * Encrypts one sensitive field value (any JSON value) under a Space key of `epoch`, bound to
 * `context`. Synchronous and fast (microseconds for short values). Every call uses a fresh
 * random nonce, so equal values never produce equal stored forms.
 */
export function sealField(
  key: Uint8Array,
  epoch: KeyEpoch,
  context: FieldContext,
  value: unknown,
): string {
  return sealFieldJson(key, epoch, context, serializeFieldValue(value));
}

/** True when `stored` has the shape of a sealed field of any version (even one unknown here). */
export function isSealedField(stored: unknown): stored is string {
  return typeof stored === 'string' && sealedPattern.test(stored);
}

/** The parts of a version-1 stored form, or why it cannot be read. */
export type ParsedField =
  { readonly epoch: KeyEpoch; readonly box: Uint8Array } | { readonly failure: LockReason };

/** Parses a stored form strictly: anything but a well-formed `enc:v1:` string is refused. */
export function parseSealedField(stored: unknown): ParsedField {
  if (!isSealedField(stored)) return { failure: LockReason.unknownFormat };
  const parts = stored.split(':');
  if (parts[1] !== VERSION) return { failure: LockReason.unknownFormat };
  if (parts.length !== 4 || !epochPattern.test(parts[2]!)) return { failure: LockReason.tampered };

  const epoch = Number(parts[2]);
  const box = fromBase64Url(parts[3]!);
  if (epoch > MAX_EPOCH || box === undefined || box.length < NONCE_LENGTH + TAG_LENGTH) {
    return { failure: LockReason.tampered };
  }
  return { epoch, box };
}

/** The epoch a stored form was sealed under, or undefined when it is not a readable v1 form. */
export function sealedFieldEpoch(stored: unknown): KeyEpoch | undefined {
  const parsed = parseSealedField(stored);
  return 'epoch' in parsed ? parsed.epoch : undefined;
}

/** Looks up the Space key of an epoch; undefined when this device does not hold it. */
export type EpochKeyLookup = (epoch: KeyEpoch) => Uint8Array | undefined;

/**
 * Decrypts a stored form for `context`. Never throws on bad data: a value that was changed,
 * moved to another place, or sealed with another key reads as locked with reason `tampered`;
 * an epoch without a key as `missing-key`; a format from a newer kit as `unknown-format`.
 */
export function openField(
  keyFor: EpochKeyLookup,
  context: FieldContext,
  stored: unknown,
): unknown | LockedValue {
  const parsed = parseSealedField(stored);
  if ('failure' in parsed) return lockedValue(parsed.failure);

  const key = keyFor(parsed.epoch);
  if (key === undefined) return lockedValue(LockReason.missingKey);

  const plaintext = openBytes(key, parsed.box, fieldAssociatedData(context, parsed.epoch));
  const json = plaintext === undefined ? undefined : utf8Decode(plaintext);
  if (json === undefined) return lockedValue(LockReason.tampered);
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return lockedValue(LockReason.tampered);
  }
}
