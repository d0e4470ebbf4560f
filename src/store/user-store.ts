// The user-level document: the list of the user's Spaces (a cache of the server's membership,
// names sealed so the switcher can show them without opening each Space) and the tag presets.
import * as Y from 'yjs';
import type { Readable } from '../crypto/field-codec.ts';
import type { Actor } from '../model/actor.ts';
import type { Locale } from '../model/defaults.ts';
import { personalSpaceName } from '../model/defaults.ts';
import { isRole, isSpaceType, personalSpaceId, Role, SpaceType } from '../model/space.ts';
import type { CodecSource } from './codecs.ts';
import { userFieldScope } from './codecs.ts';
import { applyFields, newRecordMap, prepareFields, readFields } from './record-codec.ts';
import type { DocScope, LocalOrigin, SystemOrigin } from './scope.ts';

/** One entry of `kit.spaces.list()`. */
export interface SpaceSummary {
  readonly id: string;
  readonly name: Readable<string>;
  readonly type: SpaceType;
  readonly role: Role;
  readonly createdAt: number;
}

export interface UserStoreOptions {
  readonly doc: Y.Doc;
  readonly userId: string;
  readonly origin: LocalOrigin;
  readonly systemOrigin: SystemOrigin;
  readonly codecs: CodecSource;
}

export class UserStore {
  readonly doc: Y.Doc;
  readonly userId: string;
  /** The scope every user-doc record goes through (shared with the presets). */
  readonly scope: DocScope;
  readonly #spaces: Y.Map<Y.Map<unknown>>;
  readonly #codecListeners = new Set<() => void>();
  readonly #offCodecs: () => void;

  constructor(options: UserStoreOptions) {
    this.doc = options.doc;
    this.userId = options.userId;
    this.#spaces = options.doc.getMap('spaces');
    const ref = { kind: 'user', id: options.userId } as const;
    this.scope = {
      doc: options.doc,
      fieldSpaceId: userFieldScope(options.userId),
      origin: options.origin,
      systemOrigin: options.systemOrigin,
      codec: () => options.codecs.codecFor(ref),
      assertWritable: () => {},
      onCodecChanged: (listener) => {
        this.#codecListeners.add(listener);
        return () => this.#codecListeners.delete(listener);
      },
    };
    this.#offCodecs = options.codecs.subscribe((scope) => {
      if (scope && (scope.kind !== 'user' || scope.id !== options.userId)) return;
      for (const listener of [...this.#codecListeners]) listener();
    });
  }

  /** The user's Spaces: the Personal Space first, then by creation. Opens no Space doc. */
  listSpaces(): SpaceSummary[] {
    const summaries: SpaceSummary[] = [];
    for (const entry of this.#spaces.values()) {
      if (!(entry instanceof Y.Map) || entry.get('deletedAt') !== undefined) continue;
      const fields = readFields(this.scope, 'spaceList', entry);
      if (!isSpaceType(fields.type) || !isRole(fields.role)) continue;
      summaries.push({
        id: String(fields.id),
        name: fields.name as Readable<string>,
        type: fields.type,
        role: fields.role,
        createdAt: Number(fields.createdAt),
      });
    }
    const rank = (s: SpaceSummary) => (s.type === SpaceType.personal ? 0 : 1);
    return summaries.sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt);
  }

  getSpace(spaceId: string): SpaceSummary | undefined {
    return this.listSpaces().find((summary) => summary.id === spaceId);
  }

  /** The local user's role in a listed Space (cheap: reads one entry, opens no name). */
  roleOf(spaceId: string): Role | undefined {
    const entry = this.#spaces.get(spaceId);
    const role = entry instanceof Y.Map ? entry.get('role') : undefined;
    return isRole(role) ? role : undefined;
  }

  /** Adds or updates a Space list entry. `origin` defaults to the local user's. */
  putSpace(
    spaceId: string,
    fields: { name?: string; type?: SpaceType; role?: Role },
    origin: LocalOrigin | SystemOrigin = this.scope.origin,
  ): void {
    // The kit's own entries (the Personal Space while locked) may wait for the sweep.
    const prepared = prepareFields(this.scope, 'spaceList', spaceId, fields, {
      plaintextWhenLocked: origin.kind === 'space-kit-system',
    });
    this.doc.transact(() => {
      const now = Date.now();
      const existing = this.#spaces.get(spaceId);
      const entry =
        existing instanceof Y.Map
          ? existing
          : newRecordMap(this.#spaces as Y.Map<unknown>, spaceId, origin.actor, now);
      applyFields(entry, prepared, origin.actor, now);
    }, origin);
  }

  /**
   * Adds the Personal Space to the list when it is missing. Its id derives from the user id, so
   * two devices that start offline add the same entry and converge.
   */
  ensurePersonalSpace(locale: Locale): string {
    const id = personalSpaceId(this.userId);
    if (!this.#spaces.has(id)) {
      const fields = {
        name: personalSpaceName[locale],
        type: SpaceType.personal,
        role: Role.owner,
      };
      this.putSpace(id, fields, this.scope.systemOrigin);
    }
    return id;
  }

  /** Calls `listener` when the Space list changes (or reads differently after a key change). */
  observeSpaces(listener: () => void): () => void {
    const handler = () => listener();
    this.#spaces.observeDeep(handler);
    const offCodec = this.scope.onCodecChanged(handler);
    return () => {
      this.#spaces.unobserveDeep(handler);
      offCodec();
    };
  }

  destroy(): void {
    this.#offCodecs();
    this.#codecListeners.clear();
  }
}

/** The actor the kit stamps for the local user. */
export function userActor(user: { id: string; name: string }): Actor {
  return Object.freeze({ kind: 'user', principalId: user.id, displayName: user.name });
}
