// The rules of Spaces, members and invites, on top of a DirectoryStore. The HTTP layer turns
// these outcomes into responses; nothing here knows about requests.
import { createHash, randomBytes } from 'node:crypto';
import {
  canManageMembers,
  isRole,
  isSpaceType,
  isValidId,
  personalSpaceId,
  Role,
  SpaceType,
} from '../model/space.ts';
import type { DirectoryStore } from './storage.ts';

/** A result with the HTTP status it maps to. */
export type Outcome<T> = { status: number; value: T } | { status: number; error: string };

const fail = (status: number, error: string) => ({ status, error });

/** A Space as its member sees it. */
export interface SpaceView {
  id: string;
  type: SpaceType;
  role: Role;
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('base64url');

// The prefix of Personal Space ids; no other Space may take it, or someone could squat a
// user's Personal Space id before that user first starts.
const personalPrefix = 'personal-';

export class SpaceDirectory {
  readonly store: DirectoryStore;
  readonly #inviteTtlMs: number;
  // Writes run one at a time, so checks and the write that depends on them cannot interleave.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(store: DirectoryStore, inviteTtlMs: number) {
    this.store = store;
    this.#inviteTtlMs = inviteTtlMs;
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** `POST /spaces`: creates a Space owned by `caller`, or returns it when it is theirs already. */
  createSpace(caller: string, id: unknown, type: unknown): Promise<Outcome<SpaceView>> {
    return this.#serialised(async () => {
      if (!isSpaceType(type)) return fail(400, 'type must be a Space type');
      if (id !== undefined && !isValidId(id)) return fail(400, 'id must be a valid id');

      const personal = type === SpaceType.personal;
      if (personal && id !== undefined && id !== personalSpaceId(caller)) {
        return fail(403, 'a Personal Space id is derived from its owner');
      }
      if (!personal && typeof id === 'string' && id.startsWith(personalPrefix)) {
        return fail(400, `ids starting with ${personalPrefix} are reserved for Personal Spaces`);
      }
      const spaceId = personal
        ? personalSpaceId(caller)
        : (id ?? randomBytes(16).toString('base64url'));

      const existing = await this.store.getSpace(spaceId);
      if (existing !== undefined) {
        const role = await this.store.getRole(spaceId, caller);
        if (role === Role.owner && existing.type === type) {
          return { status: 200, value: { id: spaceId, type, role } };
        }
        return fail(409, 'a Space with this id exists');
      }
      await this.store.createSpace({ id: spaceId, type, createdAt: Date.now() }, caller);
      return { status: 201, value: { id: spaceId, type, role: Role.owner } };
    });
  }

  /** `GET /spaces/:id/members`, for members of the Space. */
  async listMembers(caller: string, spaceId: string) {
    const role = await this.store.getRole(spaceId, caller);
    if (role === undefined) return fail(403, 'not a member');
    const members = await this.store.listMembers(spaceId);
    const value = await Promise.all(
      members.map(async (member) => {
        const name = await this.store.getUserName(member.userId);
        return name === undefined ? member : { ...member, name };
      }),
    );
    return { status: 200, value };
  }

  /** `POST /spaces/:id/members`: adds a member or changes a role (owner/admin only). */
  setMember(caller: string, spaceId: string, userId: unknown, role: unknown) {
    return this.#serialised(async () => {
      if (!isValidId(userId)) return fail(400, 'userId must be a valid id');
      if (!isRole(role) || role === Role.owner)
        return fail(400, 'role must be admin, member or viewer');
      const check = await this.#manager(caller, spaceId);
      if (check !== undefined) return check;
      if ((await this.store.getRole(spaceId, userId)) === Role.owner) {
        return fail(403, "the owner's role cannot change");
      }
      await this.store.setMember(spaceId, { userId, role });
      return { status: 200, value: { userId, role } };
    });
  }

  /** `DELETE /spaces/:id/members/:userId`: owner/admin, or a member leaving. */
  removeMember(caller: string, spaceId: string, userId: string) {
    return this.#serialised(async () => {
      const target = await this.store.getRole(spaceId, userId);
      if (caller !== userId) {
        const check = await this.#manager(caller, spaceId);
        if (check !== undefined) return check;
      }
      if (target === undefined) return fail(404, 'not a member');
      if (target === Role.owner) return fail(403, 'the owner cannot be removed');
      await this.store.removeMember(spaceId, userId);
      return { status: 200, value: { userId } };
    });
  }

  /**
   * `POST /spaces/:id/invites`: a code that adds one person with `role`. Codes are single use
   * and expire; only their hash is stored.
   */
  async createInvite(caller: string, spaceId: string, role: unknown) {
    if (!isRole(role) || role === Role.owner)
      return fail(400, 'role must be admin, member or viewer');
    const check = await this.#manager(caller, spaceId);
    if (check !== undefined) return check;
    const code = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + this.#inviteTtlMs;
    await this.store.putInvite(hashCode(code), { spaceId, role, expiresAt });
    return { status: 201, value: { code, expiresAt } };
  }

  /** `POST /invites/:code/accept`: joins the caller; an existing stronger role is kept. */
  acceptInvite(caller: string, code: string) {
    return this.#serialised(async (): Promise<Outcome<SpaceView>> => {
      if (!/^[A-Za-z0-9_-]{16,64}$/.test(code)) return fail(404, 'unknown invite');
      const invite = await this.store.takeInvite(hashCode(code));
      if (invite === undefined) return fail(404, 'unknown invite');
      if (invite.expiresAt <= Date.now()) return fail(410, 'invite expired');
      const space = await this.store.getSpace(invite.spaceId);
      if (space === undefined) return fail(404, 'the Space no longer exists');

      const current = await this.store.getRole(space.id, caller);
      const strength = (role: Role) => Object.values(Role).indexOf(role);
      if (current !== undefined && strength(current) <= strength(invite.role)) {
        return { status: 200, value: { id: space.id, type: space.type, role: current } };
      }
      await this.store.setMember(space.id, { userId: caller, role: invite.role });
      return { status: 200, value: { id: space.id, type: space.type, role: invite.role } };
    });
  }

  async #manager(caller: string, spaceId: string) {
    const space = await this.store.getSpace(spaceId);
    if (space === undefined) return fail(404, 'unknown Space');
    const role = await this.store.getRole(spaceId, caller);
    if (role === undefined || !canManageMembers(role)) return fail(403, 'owner or admin only');
    if (space.type === SpaceType.personal)
      return fail(403, 'a Personal Space has no other members');
    return undefined;
  }
}
