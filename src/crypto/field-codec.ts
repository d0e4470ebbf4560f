// The seam between the store and the ciphers. The store hands every sensitive field through a
// FieldCodec on write (seal) and on read (open); it never sees keys or ciphertext formats.

/** Where a field value lives; ciphers bind it as associated data so values cannot be moved. */
export interface FieldContext {
  readonly spaceId: string;
  readonly collection: string;
  readonly recordId: string;
  readonly field: string;
}

/** Why an encrypted value cannot be shown. */
export const LockReason = {
  /** The kit is locked: no master key in memory. */
  locked: 'locked',
  /** Unlocked, but this device holds no key for the value's epoch (not shared with us yet). */
  missingKey: 'missing-key',
  /** Authentication failed: tampered, moved to another place, or sealed with another key. */
  tampered: 'tampered',
  /** A stored form this version does not understand (written by a newer kit). */
  unknownFormat: 'unknown-format',
} as const;
export type LockReason = (typeof LockReason)[keyof typeof LockReason];

// A private brand: a decrypted JSON value that happens to look like `{locked: true}` (a preset
// entry, say) must never be mistaken for a placeholder.
const lockedBrand = Symbol('space-kit.locked');

/** What an encrypted field reads as when it cannot be decrypted. Never holds ciphertext. */
export interface LockedValue {
  readonly locked: true;
  readonly reason: LockReason;
  readonly [lockedBrand]: true;
}

export function lockedValue(reason: LockReason): LockedValue {
  return Object.freeze({ locked: true as const, reason, [lockedBrand]: true as const });
}

export function isLocked(value: unknown): value is LockedValue {
  return typeof value === 'object' && value !== null && lockedBrand in value;
}

/** A sensitive field as read: its plaintext value, or a typed locked placeholder. */
export type Readable<T> = T | LockedValue;

/** Thrown by `seal` when the value cannot be encrypted now (no key); the write must not happen. */
export class LockedError extends Error {
  override readonly name = 'LockedError';
  constructor(
    message: string,
    readonly reason: LockReason,
  ) {
    super(message);
  }
}

export interface FieldCodec {
  /**
   * The stored form of a sensitive value (any JSON value). Synchronous, so a write stays one
   * transaction. Throws LockedError when no key is available.
   */
  seal(context: FieldContext, value: unknown): unknown;
  /** The value of a stored form, or a LockedValue. Never throws. */
  open(context: FieldContext, stored: unknown): unknown;
  /** True when `stored` is already in sealed form (the at-rest sweep skips it). */
  isSealed(stored: unknown): boolean;
}

/** Stores sensitive values as they are. Used until keys exist and in tests of the plain store. */
export const plaintextCodec: FieldCodec = {
  seal: (_context, value) => value,
  open: (_context, stored) => stored,
  isSealed: () => false,
};
