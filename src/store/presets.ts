// Tag presets in the user doc: templates for seeding new Spaces. Name and tag entries are sealed.
import * as Y from 'yjs';
import type { Readable } from '../crypto/field-codec.ts';
import { RecordNotFoundError } from './errors.ts';
import { newId } from './ids.ts';
import type { PresetTag } from './records.ts';
import { applyFields, newRecordMap, prepareFields, readFields } from './record-codec.ts';
import type { UserStore } from './user-store.ts';

export interface Preset {
  readonly id: string;
  readonly name: Readable<string>;
  /** At most one preset reads as default, even when two devices set one concurrently. */
  readonly isDefault: boolean;
  readonly tags: Readable<PresetTag[]>;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export class PresetStore {
  readonly #user: UserStore;
  readonly #map: Y.Map<Y.Map<unknown>>;

  constructor(user: UserStore) {
    this.#user = user;
    this.#map = user.doc.getMap('presets');
  }

  /** The user's presets in creation order. */
  list(): Preset[] {
    const presets: Preset[] = [];
    for (const entry of this.#map.values()) {
      if (!(entry instanceof Y.Map) || entry.get('deletedAt') !== undefined) continue;
      const fields = readFields(this.#user.scope, 'presets', entry);
      presets.push({
        id: String(fields.id),
        name: fields.name as Readable<string>,
        isDefault: fields.isDefault === true,
        tags: (fields.tags ?? []) as Readable<PresetTag[]>,
        createdAt: Number(fields.createdAt),
        updatedAt: Number(fields.updatedAt),
      });
    }
    presets.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));

    // Concurrent "set default" on two devices can leave two flags; the latest one wins.
    const defaults = presets.filter((p) => p.isDefault);
    if (defaults.length < 2) return presets;
    const winner = defaults.reduce((a, b) =>
      b.updatedAt > a.updatedAt || (b.updatedAt === a.updatedAt && b.id > a.id) ? b : a,
    );
    return presets.map((p) => (p.isDefault && p !== winner ? { ...p, isDefault: false } : p));
  }

  get(presetId: string): Preset | undefined {
    return this.list().find((preset) => preset.id === presetId);
  }

  /** The default preset, if one is set. */
  get default(): Preset | undefined {
    return this.list().find((preset) => preset.isDefault);
  }

  /** Creates a preset from tag entries (no ids: presets only seed). */
  create(input: { name: string; tags: PresetTag[]; isDefault?: boolean }): Preset {
    checkName(input?.name, 'input.name');
    const tags = checkTags(input.tags);
    const id = newId();
    const prepared = prepareFields(this.#user.scope, 'presets', id, {
      name: input.name,
      tags,
      isDefault: false,
    });
    const { actor } = this.#user.scope.origin;
    this.#user.doc.transact(() => {
      const now = Date.now();
      applyFields(newRecordMap(this.#map as Y.Map<unknown>, id, actor, now), prepared, actor, now);
      if (input.isDefault) this.#setDefaultInTransaction(id);
    }, this.#user.scope.origin);
    return this.get(id) as Preset;
  }

  rename(presetId: string, name: string): void {
    checkName(name, 'name');
    this.#write(presetId, { name });
  }

  /** Replaces the preset's tags. */
  setTags(presetId: string, tags: PresetTag[]): void {
    this.#write(presetId, { tags: checkTags(tags) });
  }

  /** Makes `presetId` the only default; `null` clears the default. */
  setDefault(presetId: string | null): void {
    if (presetId !== null) this.#entry(presetId);
    this.#user.doc.transact(() => this.#setDefaultInTransaction(presetId), this.#user.scope.origin);
  }

  remove(presetId: string): void {
    const entry = this.#entry(presetId);
    this.#user.doc.transact(() => {
      const now = Date.now();
      entry.set('deletedAt', now);
      entry.set('updatedAt', now);
      entry.set('__lastActor', this.#user.scope.origin.actor);
    }, this.#user.scope.origin);
  }

  /** Calls `listener` after any change of the presets; returns an unsubscribe function. */
  observe(listener: () => void): () => void {
    const handler = () => listener();
    this.#map.observeDeep(handler);
    const offCodec = this.#user.scope.onCodecChanged(handler);
    return () => {
      this.#map.unobserveDeep(handler);
      offCodec();
    };
  }

  #setDefaultInTransaction(presetId: string | null): void {
    const { actor } = this.#user.scope.origin;
    const now = Date.now();
    for (const [id, entry] of this.#map.entries()) {
      const wanted = id === presetId;
      if (entry.get('isDefault') === wanted && id !== presetId) continue;
      const prepared = prepareFields(this.#user.scope, 'presets', id, { isDefault: wanted });
      applyFields(entry, prepared, actor, now);
    }
  }

  #write(presetId: string, fields: object): void {
    const entry = this.#entry(presetId);
    const prepared = prepareFields(this.#user.scope, 'presets', presetId, fields);
    const { actor } = this.#user.scope.origin;
    this.#user.doc.transact(
      () => applyFields(entry, prepared, actor, Date.now()),
      this.#user.scope.origin,
    );
  }

  #entry(presetId: string): Y.Map<unknown> {
    const entry = this.#map.get(presetId);
    if (!(entry instanceof Y.Map) || entry.get('deletedAt') !== undefined) {
      throw new RecordNotFoundError('presets', presetId);
    }
    return entry;
  }
}

function checkName(name: unknown, argument: string): void {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`${argument} must be a non-empty string`);
  }
}

function checkTags(tags: unknown): PresetTag[] {
  if (!Array.isArray(tags)) throw new TypeError('tags must be an array');
  return tags.map((tag, index) => {
    if (typeof tag?.name !== 'string' || typeof tag?.color !== 'string') {
      throw new TypeError(`tags[${index}] must have a string name and color`);
    }
    const entry: PresetTag = { name: tag.name, color: tag.color };
    if (typeof tag.icon === 'string') entry.icon = tag.icon;
    if (typeof tag.groupName === 'string') entry.groupName = tag.groupName;
    return entry;
  });
}
