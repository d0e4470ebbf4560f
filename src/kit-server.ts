// The part of the composition root that ties a started kit to the sync server: membership in
// the Space list, Space keys shared with members who join, a new key epoch after a removal, and
// the members API the elements use. Everything here is only present when the kit has a server.
import type { Role } from './model/space.ts';
import type { SpaceKit } from './store/space-kit.ts';
import type { Space } from './store/space.ts';
import type { ServerMember, ServerSpace } from './sync/server-api.ts';
import type { ServerSync } from './sync/server-sync.ts';
import { ConnectionState } from './sync/status.ts';

/** Members and invites of the kit's Spaces, with the key work each change needs. */
export interface SpaceMembers {
  /** The members of a Space and their roles, from the server. */
  list(spaceId: string): Promise<ServerMember[]>;
  /** Adds a member (or changes their role) and shares the Space keys with them. */
  add(spaceId: string, userId: string, role: Role): Promise<void>;
  /** Removes a member (their sockets close) and starts a new key epoch without them. */
  remove(spaceId: string, userId: string): Promise<void>;
  /** A single-use invite code for a Space. */
  invite(spaceId: string, role: Role): Promise<string>;
  /** Joins a Space with an invite code; it appears in `kit.spaces.list()`. */
  acceptInvite(code: string): Promise<ServerSpace>;
}

/**
 * Binds `sync` to `kit` and returns the members API. Presence carries the active Space's active
 * scene. Key sharing is automatic: whenever a Space
 * this device holds keys for synchronises or sees a new peer, missing keyring entries are sealed
 * for members who have published a public key (a joining member shows up as a peer).
 */
export function connectKitToServer(kit: SpaceKit, sync: ServerSync): SpaceMembers {
  const unbind = sync.bind(kit);
  let watching: (() => void) | undefined;

  const share = (spaceId: string) => {
    // Failures (offline, locked, not a key holder) are retried on the next trigger.
    if (!kit.destroyed && !kit.locked) void kit.shareKeys(spaceId).catch(() => undefined);
  };
  const watch = (space: Space) => {
    watching?.();
    const presence = sync.presenceOf(space.id);
    presence?.setScene(space.activeSceneId ?? null);
    const offScene = space.onActiveSceneChanged((sceneId) => presence?.setScene(sceneId));
    const offPeers = presence?.subscribe(() => share(space.id));
    const offStatus = sync.statusOf(space.id)?.subscribe((status) => {
      if (status.connection === ConnectionState.synced) share(space.id);
    });
    watching = () => {
      offScene();
      offPeers?.();
      offStatus?.();
    };
  };
  const offActive = kit.onActiveSpaceChanged(watch);
  const offLock = kit.onLockChanged((locked) => {
    if (!locked) share(kit.activeSpace.id);
  });

  kit.onDestroy(() => {
    offActive();
    offLock();
    watching?.();
    unbind();
    sync.destroy();
  });

  return {
    list: (spaceId) => sync.listMembers(spaceId),
    async add(spaceId, userId, role) {
      await sync.addMember(spaceId, userId, role);
      await kit.shareKeys(spaceId);
    },
    async remove(spaceId, userId) {
      await sync.removeMember(spaceId, userId);
      await kit.rotateKeysAfterRemoval(spaceId, userId);
    },
    invite: (spaceId, role) => sync.createInvite(spaceId, role),
    acceptInvite: (code) => sync.acceptInvite(code),
  };
}
