// The FieldCodec the store uses once keys exist: seals on write with the Space's current epoch,
// opens lazily on read, and remembers each decrypted value so a ciphertext is decrypted at most
// once while unlocked. Reading never throws: failures are typed LockedValues.

import { LockReason, LockedError, isLocked, lockedValue } from './field-codec.ts';
import type { FieldCodec, FieldContext } from './field-codec.ts';
import { isSealedField, openField, sealFieldJson, serializeFieldValue } from './field-cipher.ts';
import type { SpaceKeySource } from './space-keys.ts';

/** Counters that let tests and benchmarks prove decryption is lazy and happens once. */
export interface CipherCodecStats {
  /** Values sealed. */
  readonly encryptions: number;
  /** Ciphertexts actually decrypted (cache misses that reached the cipher). */
  readonly decryptions: number;
  /** Reads answered from the cache. */
  readonly cacheHits: number;
}

export interface CipherCodecOptions {
  /** Most decrypted values kept; the oldest are dropped first. Default 100,000. */
  readonly maxCacheEntries?: number;
}

const TAMPERED = lockedValue(LockReason.tampered);
const LOCKED = lockedValue(LockReason.locked);

/**
 * A FieldCodec over XChaCha20-Poly1305 field encryption (field-cipher.ts), with keys from a
 * SpaceKeySource. Subscribes to key changes (the cache is wiped on lock), so call destroy().
 */
export class CipherCodec implements FieldCodec {
  #keys: SpaceKeySource;
  #maxCacheEntries: number;
  // Keyed by place and stored form together: the same ciphertext copied to another record,
  // field or Space must miss the cache and fail authentication there.
  #cache = new Map<string, unknown>();
  #unsubscribe: () => void;
  #stats = { encryptions: 0, decryptions: 0, cacheHits: 0 };

  constructor(keys: SpaceKeySource, options: CipherCodecOptions = {}) {
    const { maxCacheEntries = 100_000 } = options;
    if (!Number.isInteger(maxCacheEntries) || maxCacheEntries < 0) {
      throw new RangeError('options.maxCacheEntries must be a non-negative integer');
    }
    this.#keys = keys;
    this.#maxCacheEntries = maxCacheEntries;
    this.#unsubscribe = keys.onChange((change) => {
      if (change.kind === 'locked') this.clearCache();
      // A key that arrived may turn a failure into a success; successes stay valid.
      else this.#dropFailures();
    });
  }

  /**
   * The stored form of `value` for `context`. Throws LockedError (reason `locked` or
   * `missing-key`) when the Space's current key is not held: the write must not happen.
   */
  seal(context: FieldContext, value: unknown): string {
    if (!this.#keys.unlocked) {
      throw new LockedError('Cannot encrypt while locked: unlock the kit first', LockReason.locked);
    }
    const current = this.#keys.currentKey(context.spaceId);
    if (current === undefined) {
      throw new LockedError(
        `No key for the current epoch of Space ${context.spaceId} on this device`,
        LockReason.missingKey,
      );
    }

    const json = serializeFieldValue(value);
    const stored = sealFieldJson(current.key, current.epoch, context, json);
    this.#stats.encryptions++;
    // The writer already knows the plaintext: reading its own write needs no decryption.
    this.#remember(cacheKey(context, stored), deepFreeze(JSON.parse(json)));
    return stored;
  }

  /**
   * The plaintext of a stored value, or a LockedValue. Values that are not sealed (plaintext not
   * yet swept) are returned as they are. Never throws.
   */
  open(context: FieldContext, stored: unknown): unknown {
    if (!isSealedField(stored)) return stored;
    if (!this.#keys.unlocked) return LOCKED;

    try {
      const key = cacheKey(context, stored);
      if (this.#cache.has(key)) {
        this.#stats.cacheHits++;
        return this.#cache.get(key);
      }

      const spaceId = context.spaceId;
      const value = openField((epoch) => this.#keys.keyFor(spaceId, epoch), context, stored);
      if (isLocked(value) && value.reason !== LockReason.tampered) return value;
      this.#stats.decryptions++;
      const result = isLocked(value) ? TAMPERED : deepFreeze(value);
      this.#remember(key, result);
      return result;
    } catch {
      // Only misuse (a malformed context or key) gets here; reading must still not throw.
      return TAMPERED;
    }
  }

  isSealed(stored: unknown): boolean {
    return isSealedField(stored);
  }

  /** A snapshot of the counters. */
  get stats(): CipherCodecStats {
    return { ...this.#stats };
  }

  resetStats(): void {
    this.#stats = { encryptions: 0, decryptions: 0, cacheHits: 0 };
  }

  /** Forgets every decrypted value (done automatically on lock). */
  clearCache(): void {
    this.#cache.clear();
  }

  /** Unsubscribes from the key source and forgets every decrypted value. */
  destroy(): void {
    this.#unsubscribe();
    this.clearCache();
  }

  #remember(key: string, value: unknown): void {
    if (this.#maxCacheEntries === 0) return;
    // Limit: eviction is first-in first-out, not least-recently-used; sized for ~10^5 fields.
    if (this.#cache.size >= this.#maxCacheEntries) {
      this.#cache.delete(this.#cache.keys().next().value as string);
    }
    this.#cache.set(key, value);
  }

  #dropFailures(): void {
    for (const [key, value] of this.#cache) if (value === TAMPERED) this.#cache.delete(key);
  }
}

function cacheKey(context: FieldContext, stored: string): string {
  return JSON.stringify([
    context.spaceId,
    context.collection,
    context.recordId,
    context.field,
    stored,
  ]);
}

// Cached values are shared between readers; freezing keeps one reader from changing another's.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
