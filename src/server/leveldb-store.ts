// Embedded persistence: Yjs documents through y-leveldb, the directory in a second LevelDB
// database beside it. Nothing to install or start besides Node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { LeveldbPersistence } from 'y-leveldb';
import type * as Y from 'yjs';
import type { Role } from '../model/space.ts';
import type {
  DirectoryStore,
  DocumentStore,
  InviteRecord,
  MemberRecord,
  SpaceRecord,
} from './storage.ts';

/** Documents in `<dataDir>/documents`, through y-leveldb. */
export class LevelDocumentStore implements DocumentStore {
  readonly #persistence: LeveldbPersistence;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#persistence = new LeveldbPersistence(join(dataDir, 'documents'));
  }

  // y-leveldb catches errors inside its write queue and resolves with null instead of
  // rejecting, so a null result is turned back into a failure here.
  // Limit: y-leveldb also reports that error with console.warn; we cannot silence it.
  async loadDocument(name: string): Promise<Y.Doc> {
    const doc = (await this.#persistence.getYDoc(name)) as Y.Doc | null;
    if (doc === null) throw new Error(`could not load ${name}`);
    return doc;
  }

  // Limit: LevelDB writes without fsync, so a stored update survives a killed process but
  // not necessarily a power loss of the machine.
  async appendUpdate(name: string, update: Uint8Array): Promise<void> {
    const clock = (await this.#persistence.storeUpdate(name, update)) as number | null;
    if (clock === null) throw new Error(`could not store an update of ${name}`);
  }

  async compact(name: string): Promise<void> {
    await this.#persistence.flushDocument(name);
  }

  async close(): Promise<void> {
    await this.#persistence.destroy();
  }
}

type Json = Record<string, unknown>;

const key = {
  space: (spaceId: string) => `space:${spaceId}`,
  member: (spaceId: string, userId: string) => `member:${spaceId}:${userId}`,
  membersOf: (spaceId: string) => ({ gte: `member:${spaceId}:`, lt: `member:${spaceId};` }),
  userSpace: (userId: string, spaceId: string) => `user-space:${userId}:${spaceId}`,
  spacesOf: (userId: string) => ({ gte: `user-space:${userId}:`, lt: `user-space:${userId};` }),
  invite: (codeHash: string) => `invite:${codeHash}`,
  publicKey: (userId: string) => `public-key:${userId}`,
  userName: (userId: string) => `user-name:${userId}`,
};

/**
 * The directory in `<dataDir>/directory`: JSON values under prefixed keys. Ids are restricted
 * to `[A-Za-z0-9_-]`, so `:` separates key parts unambiguously and `;` (the next character)
 * ends a prefix range. A member is indexed both by Space and by user.
 */
export class LevelDirectoryStore implements DirectoryStore {
  readonly #db: ClassicLevel<string, Json>;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new ClassicLevel<string, Json>(join(dataDir, 'directory'), {
      valueEncoding: 'json',
    });
  }

  async #get<T>(k: string): Promise<T | undefined> {
    try {
      return (await this.#db.get(k)) as T;
    } catch (error) {
      if ((error as { code?: string }).code === 'LEVEL_NOT_FOUND') return undefined;
      throw error;
    }
  }

  getSpace(spaceId: string): Promise<SpaceRecord | undefined> {
    return this.#get<SpaceRecord>(key.space(spaceId));
  }

  async createSpace(space: SpaceRecord, ownerId: string): Promise<void> {
    await this.#db.batch([
      { type: 'put', key: key.space(space.id), value: { ...space } },
      {
        type: 'put',
        key: key.member(space.id, ownerId),
        value: { userId: ownerId, role: 'owner' },
      },
      { type: 'put', key: key.userSpace(ownerId, space.id), value: { role: 'owner' } },
    ]);
  }

  async getRole(spaceId: string, userId: string): Promise<Role | undefined> {
    const member = await this.#get<MemberRecord>(key.member(spaceId, userId));
    return member?.role;
  }

  async setMember(spaceId: string, member: MemberRecord): Promise<void> {
    await this.#db.batch([
      { type: 'put', key: key.member(spaceId, member.userId), value: { ...member } },
      { type: 'put', key: key.userSpace(member.userId, spaceId), value: { role: member.role } },
    ]);
  }

  async removeMember(spaceId: string, userId: string): Promise<void> {
    await this.#db.batch([
      { type: 'del', key: key.member(spaceId, userId) },
      { type: 'del', key: key.userSpace(userId, spaceId) },
    ]);
  }

  async listMembers(spaceId: string): Promise<MemberRecord[]> {
    const values = await this.#db.values(key.membersOf(spaceId)).all();
    return values as unknown as MemberRecord[];
  }

  async listSpacesOf(userId: string): Promise<Array<SpaceRecord & { role: Role }>> {
    const prefix = key.spacesOf(userId).gte;
    const entries = await this.#db.iterator(key.spacesOf(userId)).all();
    const spaces: Array<SpaceRecord & { role: Role }> = [];
    for (const [k, value] of entries) {
      const space = await this.getSpace(k.slice(prefix.length));
      if (space !== undefined) spaces.push({ ...space, role: value.role as Role });
    }
    return spaces;
  }

  async putInvite(codeHash: string, invite: InviteRecord): Promise<void> {
    await this.#db.put(key.invite(codeHash), { ...invite });
  }

  async takeInvite(codeHash: string): Promise<InviteRecord | undefined> {
    const invite = await this.#get<InviteRecord>(key.invite(codeHash));
    if (invite !== undefined) await this.#db.del(key.invite(codeHash));
    return invite;
  }

  async setPublicKey(userId: string, publicKey: string): Promise<void> {
    await this.#db.put(key.publicKey(userId), { publicKey });
  }

  async getPublicKey(userId: string): Promise<string | undefined> {
    return (await this.#get<{ publicKey: string }>(key.publicKey(userId)))?.publicKey;
  }

  async setUserName(userId: string, name: string): Promise<void> {
    await this.#db.put(key.userName(userId), { name });
  }

  async getUserName(userId: string): Promise<string | undefined> {
    return (await this.#get<{ name: string }>(key.userName(userId)))?.name;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
