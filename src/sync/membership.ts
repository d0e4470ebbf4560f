// Keeps the kit's Space list (a cache in the user doc) in step with the server's membership:
// a Space someone shared with us appears in the list, a changed role is updated. Entries the
// server does not know are kept: they may be Spaces created offline and not registered yet.
import type { Role, SpaceType } from '../model/space.ts';
import type { CodecSource } from '../store/codecs.ts';
import type { LocalOrigin, SystemOrigin } from '../store/scope.ts';
import { UserStore } from '../store/user-store.ts';
import type * as Y from 'yjs';
import type { ServerSpace } from './server-api.ts';

/**
 * What the sync layer needs of a kit: its user, its Space list and, ideally, a way to add to it.
 */
export interface SyncedKit {
  readonly user: { readonly id: string; readonly name: string };
  readonly spaces: {
    list(): readonly { readonly id: string; readonly type: SpaceType; readonly role: Role }[];
    observe(listener: () => void): () => void;
    /** Adds or updates Space list entries from the server (preferred when the kit has it). */
    applyMembership?(spaces: readonly ServerSpace[]): void;
  };
  readonly internals?: {
    readonly userDoc: Y.Doc;
    readonly origin: LocalOrigin;
    readonly codecs: CodecSource;
  };
}

/** Writes server membership into a kit's Space list. */
export interface MembershipWriter {
  apply(spaces: readonly ServerSpace[]): void;
  destroy(): void;
}

/** The writer for `kit`: its own `applyMembership` when present, else the user store itself. */
export function membershipWriter(kit: SyncedKit): MembershipWriter {
  const own = kit.spaces.applyMembership;
  if (typeof own === 'function') {
    return { apply: (spaces) => own.call(kit.spaces, spaces), destroy: () => {} };
  }
  if (!kit.internals) throw new TypeError('kit must offer spaces.applyMembership or internals');

  // Limit: until the kit offers `spaces.applyMembership`, a second UserStore over the same user
  // doc writes the entries, with a system origin (a membership change is nobody's local intent).
  const { userDoc, origin, codecs } = kit.internals;
  const systemOrigin: SystemOrigin = Object.freeze({
    kind: 'space-kit-system',
    actor: origin.actor,
  });
  const store = new UserStore({ doc: userDoc, userId: kit.user.id, origin, systemOrigin, codecs });
  return {
    apply(spaces) {
      const listed = new Map(kit.spaces.list().map((entry) => [entry.id, entry]));
      for (const space of spaces) {
        const entry = listed.get(space.id);
        if (entry && entry.role === space.role && entry.type === space.type) continue;
        store.putSpace(space.id, { type: space.type, role: space.role }, systemOrigin);
      }
    },
    destroy: () => store.destroy(),
  };
}
