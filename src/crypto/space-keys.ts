// The Space keys this device holds while unlocked, in memory only. The kit fills it from each
// Space's keyring after unlock (see keyring.ts openEpochKeys) and empties it on lock.

import { KEY_LENGTH } from './aead.ts';
import { assertBytes } from './encoding.ts';
import { assertEpoch } from './field-cipher.ts';
import type { KeyEpoch } from './field-cipher.ts';

/** The key new writes of a Space are sealed with. */
export interface CurrentSpaceKey {
  readonly epoch: KeyEpoch;
  readonly key: Uint8Array;
}

/** What a cipher codec needs to know about keys. */
export interface SpaceKeySource {
  /** False while locked (no master key in memory): every sealed field then reads as locked. */
  readonly unlocked: boolean;
  /** The key of the Space's current epoch; undefined when it is not held (writes must wait). */
  currentKey(spaceId: string): CurrentSpaceKey | undefined;
  /** The key of one epoch of a Space, for reading values sealed under it. */
  keyFor(spaceId: string, epoch: KeyEpoch): Uint8Array | undefined;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  onChange(listener: (change: SpaceKeyChange) => void): () => void;
}

/**
 * `unlocked`: the kit was unlocked (no Space keys yet). `keys`: keys of one Space were added.
 * `locked`: every key was forgotten.
 */
export type SpaceKeyChange =
  | { readonly kind: 'unlocked' }
  | { readonly kind: 'keys'; readonly spaceId: string }
  | { readonly kind: 'locked' };

/** An in-memory SpaceKeySource: the kit's single holder of Space keys. */
export class SpaceKeys implements SpaceKeySource {
  #unlocked = false;
  #keys = new Map<string, Map<KeyEpoch, Uint8Array>>();
  #current = new Map<string, KeyEpoch>();
  #listeners = new Set<(change: SpaceKeyChange) => void>();

  get unlocked(): boolean {
    return this.#unlocked;
  }

  /** Marks the kit unlocked; Space keys arrive per Space through setSpaceKeys. */
  unlock(): void {
    if (this.#unlocked) return;
    this.#unlocked = true;
    this.#emit({ kind: 'unlocked' });
  }

  /**
   * Records the keys of a Space (merged with any held already) and its current epoch, the
   * newest epoch of its keyring. Keys are copied; the caller may wipe its own arrays.
   */
  setSpaceKeys(
    spaceId: string,
    keys: ReadonlyMap<KeyEpoch, Uint8Array>,
    currentEpoch: KeyEpoch,
  ): void {
    if (typeof spaceId !== 'string' || spaceId === '') {
      throw new TypeError('spaceId must be a non-empty string');
    }
    assertEpoch(currentEpoch, 'currentEpoch');
    if (!this.#unlocked) throw new TypeError('setSpaceKeys called while locked; unlock() first');

    const held = this.#keys.get(spaceId) ?? new Map<KeyEpoch, Uint8Array>();
    for (const [epoch, key] of keys) {
      assertEpoch(epoch, 'keys epoch');
      assertBytes(key, KEY_LENGTH, `keys[${epoch}]`);
      held.set(epoch, key.slice());
    }
    this.#keys.set(spaceId, held);
    this.#current.set(spaceId, currentEpoch);
    this.#emit({ kind: 'keys', spaceId });
  }

  currentKey(spaceId: string): CurrentSpaceKey | undefined {
    if (!this.#unlocked) return undefined;
    const epoch = this.#current.get(spaceId);
    if (epoch === undefined) return undefined;
    // Limit: if the keyring names an epoch this device was not given, writes wait (LockedError)
    // rather than falling back to an older epoch a removed member could still read.
    const key = this.#keys.get(spaceId)?.get(epoch);
    return key === undefined ? undefined : { epoch, key };
  }

  keyFor(spaceId: string, epoch: KeyEpoch): Uint8Array | undefined {
    return this.#unlocked ? this.#keys.get(spaceId)?.get(epoch) : undefined;
  }

  /** Forgets every key (overwriting the bytes, as far as JavaScript allows) and locks. */
  lock(): void {
    // Limit: JavaScript gives no guarantee that no other copy of a key survives in memory.
    for (const epochs of this.#keys.values()) for (const key of epochs.values()) key.fill(0);
    this.#keys.clear();
    this.#current.clear();
    const wasUnlocked = this.#unlocked;
    this.#unlocked = false;
    if (wasUnlocked) this.#emit({ kind: 'locked' });
  }

  onChange(listener: (change: SpaceKeyChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Locks and drops every listener. */
  destroy(): void {
    this.lock();
    this.#listeners.clear();
  }

  #emit(change: SpaceKeyChange): void {
    for (const listener of [...this.#listeners]) listener(change);
  }
}
