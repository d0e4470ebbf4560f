// `kit.spaces`: the user's Space list (read from the user doc only) and Space creation, which
// creates, bootstraps and seeds a Space in one step.
import { isLocked, LockedError } from '../crypto/field-codec.ts';
import type { Locale } from '../model/defaults.ts';
import { assertValidId, isRole, isSpaceType, Role, SpaceType } from '../model/space.ts';
import { RecordNotFoundError, UnknownSpaceError } from './errors.ts';
import { newId } from './ids.ts';
import { PresetStore } from './presets.ts';
import type { PresetTag } from './records.ts';
import type { Space } from './space.ts';
import { applyPresetTags, readTagCopy, writeTagCopy } from './tag-copy.ts';
import type { SpaceSummary, UserStore } from './user-store.ts';

/** Where a new Space's tags come from. */
export type TagSource =
  | { readonly kind: 'empty' }
  | { readonly kind: 'copy'; readonly fromSpaceId: string }
  | { readonly kind: 'preset'; readonly presetId: string };

export interface CreateSpaceInput {
  readonly name: string;
  /** Any type but `personal`: every user has exactly one Personal Space. */
  readonly type: SpaceType;
  /**
   * Defaults to `{kind: 'empty'}`: a Shared Space starts without tags unless a source is chosen.
   */
  readonly tagSource?: TagSource;
}

/** Opens (and bootstraps) a listed Space; `created` for one this device just made. */
type OpenSpace = (id: string, options?: { created?: boolean }) => Promise<Space>;

export class KitSpaces {
  readonly #user: UserStore;
  readonly #openSpace: OpenSpace;
  readonly #locale: Locale;
  readonly #unsubscribers = new Set<() => void>();

  constructor(user: UserStore, openSpace: OpenSpace, locale: Locale) {
    this.#user = user;
    this.#openSpace = openSpace;
    this.#locale = locale;
  }

  /** The user's Spaces, Personal first. Reads the user doc only; opens no Space doc. */
  list(): SpaceSummary[] {
    return this.#user.listSpaces();
  }

  get(spaceId: string): SpaceSummary | undefined {
    return this.#user.getSpace(spaceId);
  }

  /**
   * Adds or updates list entries from the server's membership (a Space shared with us, a changed
   * role), as the kit's own write: not a local intent, not undoable. Entries the server does not
   * list are kept (they may be Spaces created offline, not registered yet).
   */
  applyMembership(
    spaces: readonly { readonly id: string; readonly type: SpaceType; readonly role: Role }[],
  ): void {
    for (const space of spaces) {
      assertValidId(space?.id, 'spaces[].id');
      if (!isSpaceType(space.type)) throw new TypeError(`spaces[].type is not a Space type`);
      if (!isRole(space.role)) throw new TypeError(`spaces[].role is not a role`);
    }
    for (const { id, type, role } of spaces) {
      const entry = this.get(id);
      if (entry && entry.role === role && entry.type === type) continue;
      this.#user.putSpace(id, { type, role }, this.#user.scope.systemOrigin);
    }
  }

  /**
   * Creates a Shared Space: lists it in the user doc, writes its meta, default agent and scene,
   * and seeds its tags from `tagSource`. Does not switch to it. Sources are checked before
   * anything is written, so a bad source leaves no half-made Space.
   */
  async create(input: CreateSpaceInput): Promise<SpaceSummary> {
    if (typeof input?.name !== 'string' || input.name.trim() === '') {
      throw new TypeError('input.name must be a non-empty string');
    }
    if (!isSpaceType(input.type) || input.type === SpaceType.personal) {
      throw new RangeError(`input.type must be a Shared Space type (got ${String(input.type)})`);
    }
    const source = input.tagSource ?? { kind: 'empty' };
    const seed = await this.#readSource(source);

    const id = newId();
    this.#user.putSpace(id, { name: input.name, type: input.type, role: Role.owner });
    // Made here with a fresh id: no other device has data for it, so no need to wait for one.
    const space = await this.#openSpace(id, { created: true });
    space.bootstrap({ type: input.type, name: input.name, locale: this.#locale });
    if (seed) seed(space);
    return this.#user.getSpace(id) as SpaceSummary;
  }

  /** Renames a Space in the list and in its own meta. */
  async rename(spaceId: string, name: string): Promise<void> {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError('name must be a non-empty string');
    }
    if (!this.#user.getSpace(spaceId)) throw new UnknownSpaceError(spaceId);
    const space = await this.#openSpace(spaceId);
    space.rename(name);
    this.#user.putSpace(spaceId, { name });
  }

  /** Calls `listener` when the list changes; returns an unsubscribe function. */
  observe(listener: () => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const off = this.#user.observeSpaces(listener);
    this.#unsubscribers.add(off);
    return () => {
      off();
      this.#unsubscribers.delete(off);
    };
  }

  destroy(): void {
    for (const off of this.#unsubscribers) off();
    this.#unsubscribers.clear();
  }

  async #readSource(source: TagSource): Promise<((space: Space) => void) | undefined> {
    switch (source?.kind) {
      case 'empty':
        return undefined;
      case 'copy': {
        if (!this.#user.getSpace(source.fromSpaceId)) {
          throw new UnknownSpaceError(source.fromSpaceId);
        }
        // Read now: opening the new Space may evict the source from the open set.
        const copy = readTagCopy(await this.#openSpace(source.fromSpaceId));
        return (space) => void writeTagCopy(copy, space);
      }
      case 'preset': {
        const preset = new PresetStore(this.#user).get(source.presetId);
        if (!preset) throw new RecordNotFoundError('presets', source.presetId);
        if (isLocked(preset.tags)) {
          throw new LockedError('The preset is locked', preset.tags.reason);
        }
        const tags: PresetTag[] = preset.tags;
        return (space) => void applyPresetTags(tags, space);
      }
      default:
        throw new TypeError('input.tagSource.kind must be "empty", "copy" or "preset"');
    }
  }
}
