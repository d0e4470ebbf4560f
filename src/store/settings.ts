// `kit.settings`: the user's settings, one record (`settings` map) in the user doc, so every
// device of the user shares them. Keys are classified in the crypto registry like any field:
// a key it does not know is refused (the drift check).
import * as Y from 'yjs';
import { fieldClass } from '../crypto/registry.ts';
import { Locale } from '../model/defaults.ts';
import type { Actor } from '../model/actor.ts';
import { applyFields, prepareFields } from './record-codec.ts';
import { Theme } from './records.ts';
import type { SettingsFields } from './records.ts';
import type { DocScope } from './scope.ts';

const COLLECTION = 'settings';

/** A setting's name: `locale` or `theme`. */
export type SettingKey = keyof SettingsFields;

/** What settings observers receive. */
export interface SettingsChange {
  /** The settings whose value changed. */
  readonly keys: readonly SettingKey[];
  /** True when the local user set them through this kit (not sync, storage or another tab). */
  readonly local: boolean;
}

/** Allowed values per setting; typed so a new field in SettingsFields needs one here too. */
const allowed: { readonly [K in SettingKey]: readonly SettingsFields[K][] } = {
  locale: Object.values(Locale),
  theme: Object.values(Theme),
};

function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(allowed, key);
}

/** Throws the registry's TypeError for unknown keys, and a TypeError for the store's own fields. */
function assertSettingKey(key: unknown): asserts key is SettingKey {
  if (typeof key !== 'string') throw new TypeError('key must be a string');
  if (isSettingKey(key)) return;
  fieldClass(COLLECTION, key);
  throw new TypeError(`key "${key}" of collection "settings" is written by the store only`);
}

export class KitSettings {
  readonly #scope: DocScope;
  readonly #map: Y.Map<unknown>;
  readonly #unsubscribers = new Set<() => void>();

  constructor(scope: DocScope) {
    this.#scope = scope;
    this.#map = scope.doc.getMap<unknown>(COLLECTION);
  }

  /** The value of `key`, or undefined when the user never set it (the host picks a default). */
  get<K extends SettingKey>(key: K): SettingsFields[K] | undefined {
    assertSettingKey(key);
    const value = this.#map.get(key);
    return (allowed[key] as readonly unknown[]).includes(value)
      ? (value as SettingsFields[K])
      : undefined;
  }

  /** Who set `key` last (frozen at write time), or undefined. */
  actorOf(key: SettingKey): Actor | undefined {
    assertSettingKey(key);
    const actors = this.#map.get('__fieldActors');
    return actors instanceof Y.Map ? (actors.get(key) as Actor | undefined) : undefined;
  }

  /**
   * Sets `key` for every device of the user; `undefined` clears it. Throws TypeError for an
   * unclassified key and RangeError for a value outside the allowed ones.
   */
  set<K extends SettingKey>(key: K, value: SettingsFields[K] | undefined): void {
    assertSettingKey(key);
    const values = allowed[key] as readonly unknown[];
    if (value !== undefined && !values.includes(value)) {
      throw new RangeError(`value of "${key}" must be one of ${values.join(', ')}`);
    }
    const prepared = prepareFields(this.#scope, COLLECTION, COLLECTION, { [key]: value });
    const { origin } = this.#scope;
    this.#scope.doc.transact(() => {
      if (!this.#map.has('id')) {
        this.#map.set('id', COLLECTION);
        this.#map.set('createdAt', Date.now());
      }
      applyFields(this.#map, prepared, origin.actor, Date.now());
    }, origin);
  }

  /** Calls `listener` after settings changed, from anywhere; returns an unsubscribe function. */
  observe(listener: (change: SettingsChange) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const handler = (event: Y.YMapEvent<unknown>) => {
      const keys = [...event.keysChanged].filter(isSettingKey);
      if (keys.length === 0) return;
      listener({ keys, local: event.transaction.origin === this.#scope.origin });
    };
    this.#map.observe(handler);
    const off = () => {
      this.#map.unobserve(handler);
      this.#unsubscribers.delete(off);
    };
    this.#unsubscribers.add(off);
    return off;
  }

  /** Drops every observer. */
  destroy(): void {
    for (const off of [...this.#unsubscribers]) off();
  }
}
