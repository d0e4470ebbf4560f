// One kit with server sync in one browser, driven by test/node/sync-two-browsers.test.ts
// through `window.syncPeer`. The token comes from the test through `window.getToken`, so no
// credential is ever in a URL.
import { createSpaceKit } from '../../src/kit.ts';
import type { Kit } from '../../src/kit.ts';
import type { Role } from '../../src/model/space.ts';
import type { ServerSync } from '../../src/sync/server-sync.ts';

declare global {
  interface Window {
    getToken(): Promise<string>;
    syncPeer: typeof syncPeer;
  }
}

let kit: Kit;
let sync: ServerSync;

const syncPeer = {
  /**
   * A kit for `user` syncing with `server`, unlocked with a fresh master key (encrypted fields).
   */
  async start(server: string, user: { id: string; name: string }): Promise<void> {
    kit = await createSpaceKit({
      user,
      server,
      getToken: () => window.getToken(),
      storagePrefix: `sync-peer-${crypto.randomUUID()}`,
      masterKey: crypto.getRandomValues(new Uint8Array(32)),
    });
    sync = kit.sync!;
  },

  /** True once this user's identity public key is on the server (others can share keys). */
  async publishedKey(userId: string): Promise<boolean> {
    return (await sync.api.getPublicKey(userId)) === kit.publicKey;
  },

  async createSharedSpace(name: string): Promise<string> {
    const space = await kit.spaces.create({ name, type: 'team' });
    await sync.registerSpace(space.id, space.type);
    return space.id;
  },

  addMember: (spaceId: string, userId: string, role: Role) =>
    kit.members!.add(spaceId, userId, role),

  async refreshMembership(): Promise<string[]> {
    await sync.refreshMembership();
    return kit.spaces.list().map((space) => `${space.id}:${space.role}`);
  },

  async switchTo(spaceId: string): Promise<void> {
    await kit.switchSpace(spaceId);
    await sync.statusOf(spaceId)!.whenSynced();
  },

  createTag: (name: string) => kit.activeSpace.tags.create({ name, color: '#3366cc' }).id,

  renameTag(id: string, name: string): string {
    try {
      kit.activeSpace.tags.update(id, { name });
      return 'ok';
    } catch (error) {
      return (error as Error).name;
    }
  },

  tagName: (id: string) => kit.activeSpace.tags.get(id)?.name ?? null,

  /** Resolves when the active Space's tag `id` reads `name` (checked on every change). */
  waitForTagName(id: string, name: string): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (kit.activeSpace.tags.get(id)?.name !== name) return false;
        off();
        resolve();
        return true;
      };
      const off = kit.activeSpace.tags.observe(() => void check());
      check();
    });
  },

  /** Creates a scene in the active Space and makes it this device's active scene. */
  showNewScene(title: string): string {
    const scene = kit.activeSpace.scenes.create({ title });
    kit.activeSpace.setActiveSceneId(scene.id);
    return scene.id;
  },

  /** The scene another user is looking at, as presence reports it. */
  peerScene: (spaceId: string, userId: string) =>
    sync
      .presenceOf(spaceId)
      ?.peers()
      .find((peer) => peer.userId === userId)?.sceneId ?? null,

  peers: (spaceId: string) =>
    sync
      .presenceOf(spaceId)
      ?.peers()
      .map((peer) => peer.userId) ?? [],

  status(spaceId: string) {
    const status = sync.statusOf(spaceId)?.current;
    return status ? { connection: status.connection, savedOnServer: status.savedOnServer } : null;
  },

  /** Writes into the Space document behind the kit's back, as a tampered client would. */
  writeBehindTheKit(spaceId: string, value: string): void {
    kit.internals.spaceDoc(spaceId)!.getMap('probe').set('value', value);
  },

  probe: (spaceId: string) => kit.internals.spaceDoc(spaceId)?.getMap('probe').get('value') ?? null,

  async destroy(): Promise<void> {
    await kit.destroy();
  },
};

window.syncPeer = syncPeer;
