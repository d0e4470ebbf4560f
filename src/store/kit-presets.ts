// `kit.presets`: the user's tag presets, plus the two operations that reach into Spaces.
import { PresetStore } from './presets.ts';
import type { Preset } from './presets.ts';
import type { PresetTag } from './records.ts';
import type { Space } from './space.ts';
import { applyPresetTags, tagsAsPresetEntries } from './tag-copy.ts';
import { isLocked, LockedError } from '../crypto/field-codec.ts';
import { RecordNotFoundError } from './errors.ts';
import type { UserStore } from './user-store.ts';

export class KitPresets {
  readonly #store: PresetStore;
  readonly #openSpace: (id: string) => Promise<Space>;

  constructor(user: UserStore, openSpace: (id: string) => Promise<Space>) {
    this.#store = new PresetStore(user);
    this.#openSpace = openSpace;
  }

  /** The presets in creation order; at most one has `isDefault`. */
  list(): Preset[] {
    return this.#store.list();
  }

  get(presetId: string): Preset | undefined {
    return this.#store.get(presetId);
  }

  /** The default preset, if one is set. */
  get default(): Preset | undefined {
    return this.#store.default;
  }

  create(input: { name: string; tags: PresetTag[]; isDefault?: boolean }): Preset {
    return this.#store.create(input);
  }

  rename(presetId: string, name: string): void {
    this.#store.rename(presetId, name);
  }

  setTags(presetId: string, tags: PresetTag[]): void {
    this.#store.setTags(presetId, tags);
  }

  /** Makes one preset the default (clearing any other); `null` clears it. */
  setDefault(presetId: string | null): void {
    this.#store.setDefault(presetId);
  }

  remove(presetId: string): void {
    this.#store.remove(presetId);
  }

  observe(listener: () => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return this.#store.observe(listener);
  }

  /** A new preset holding the live tags of a Space (group ids become group names). */
  async fromSpace(spaceId: string, name: string): Promise<Preset> {
    const space = await this.#openSpace(spaceId);
    return this.#store.create({ name, tags: tagsAsPresetEntries(space) });
  }

  /** Creates the preset's tags in a Space with fresh ids; groups are matched or made by name. */
  async applyToSpace(presetId: string, spaceId: string): Promise<number> {
    const preset = this.#store.get(presetId);
    if (!preset) throw new RecordNotFoundError('presets', presetId);
    if (isLocked(preset.tags)) throw new LockedError('The preset is locked', preset.tags.reason);
    const space = await this.#openSpace(spaceId);
    return applyPresetTags(preset.tags, space);
  }
}
