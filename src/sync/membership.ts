// Keeps the kit's Space list (a cache in the user doc) in step with the server's membership:
// a Space someone shared with us appears in the list, a changed role is updated. Entries the
// server does not know are kept: they may be Spaces created offline and not registered yet.
import type { Role, SpaceType } from '../model/space.ts';
import type { ServerSpace } from './server-api.ts';

/** What the sync layer needs of a kit: its user and its Space list. */
export interface SyncedKit {
  readonly user: { readonly id: string; readonly name: string };
  readonly spaces: {
    list(): readonly { readonly id: string; readonly type: SpaceType; readonly role: Role }[];
    observe(listener: () => void): () => void;
    /** Adds or updates Space list entries from the server. */
    applyMembership(spaces: readonly ServerSpace[]): void;
  };
}
