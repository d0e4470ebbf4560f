// What the key layer needs to know about a Space's members: who they are, their role, and the
// identity public key they published. The composition root implements it over the server's
// member list and public keys; tests use an in-memory one.
import type { Role } from '../../model/space.ts';

/** A member of a Space as the server lists them. */
export interface MemberInfo {
  readonly userId: string;
  readonly role: Role;
  /** base64url of the member's X25519 public key, once they published one. */
  readonly publicKey?: string;
}

export interface MemberDirectory {
  /** The Space's current members. Rejects when the list cannot be fetched. */
  list(spaceId: string): Promise<readonly MemberInfo[]>;
}

/** Publishes this user's identity public key (base64url) so others can share Space keys. */
export type PublishPublicKey = (publicKey: string) => Promise<void>;
