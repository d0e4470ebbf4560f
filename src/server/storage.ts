// The storage seams of the server. The embedded LevelDB implementations live in
// leveldb-store.ts; a PostgreSQL document store or a shared directory for several server
// processes would implement the same two interfaces (see docs/server.md).
import type * as Y from 'yjs';
import type { Role, SpaceType } from '../model/space.ts';

/** Yjs documents by name (`space/<id>`, `user/<id>`), stored as an append-only update log. */
export interface DocumentStore {
  /** Loads a document; a name never stored yields an empty document. Rejects on storage errors. */
  loadDocument(name: string): Promise<Y.Doc>;
  /** Appends an update; resolves only once it is durably written. */
  appendUpdate(name: string, update: Uint8Array): Promise<void>;
  /** Merges a document's log into one update, to keep loads fast. */
  compact(name: string): Promise<void>;
  close(): Promise<void>;
}

/** What the server knows about a Space: no name, no content, only id, type and members. */
export interface SpaceRecord {
  id: string;
  type: SpaceType;
  createdAt: number;
}

export interface MemberRecord {
  userId: string;
  role: Role;
}

export interface InviteRecord {
  spaceId: string;
  role: Role;
  expiresAt: number;
}

/** Spaces, memberships, invites, user names and public keys. Every method rejects on errors. */
export interface DirectoryStore {
  getSpace(spaceId: string): Promise<SpaceRecord | undefined>;
  /** Stores the Space and its owner's membership in one atomic write. */
  createSpace(space: SpaceRecord, ownerId: string): Promise<void>;
  getRole(spaceId: string, userId: string): Promise<Role | undefined>;
  setMember(spaceId: string, member: MemberRecord): Promise<void>;
  removeMember(spaceId: string, userId: string): Promise<void>;
  listMembers(spaceId: string): Promise<MemberRecord[]>;
  /** The Spaces a user belongs to, with the user's role in each. */
  listSpacesOf(userId: string): Promise<Array<SpaceRecord & { role: Role }>>;
  /** Invites are stored under a hash of their code, so a copy of the store reveals no code. */
  putInvite(codeHash: string, invite: InviteRecord): Promise<void>;
  /** Returns and deletes an invite (single use). */
  takeInvite(codeHash: string): Promise<InviteRecord | undefined>;
  setPublicKey(userId: string, publicKey: string): Promise<void>;
  getPublicKey(userId: string): Promise<string | undefined>;
  setUserName(userId: string, name: string): Promise<void>;
  getUserName(userId: string): Promise<string | undefined>;
  close(): Promise<void>;
}
