// Spaces, roles and the ids both the client and the server agree on.

/** The kinds of Space a person keeps data in. Every type but `personal` is a Shared Space. */
export const SpaceType = {
  personal: 'personal',
  family: 'family',
  team: 'team',
  brand: 'brand',
  club: 'club',
  practice: 'practice',
} as const;
export type SpaceType = (typeof SpaceType)[keyof typeof SpaceType];

export const spaceTypes: readonly SpaceType[] = Object.values(SpaceType);

export function isSpaceType(value: unknown): value is SpaceType {
  return typeof value === 'string' && (spaceTypes as readonly string[]).includes(value);
}

/** A member's role in a Space, strongest first. */
export const Role = {
  owner: 'owner',
  admin: 'admin',
  member: 'member',
  viewer: 'viewer',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const roles: readonly Role[] = Object.values(Role);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** Roles that may change a Space's documents (viewers only read). */
export function canWrite(role: Role): boolean {
  return role !== Role.viewer;
}

/** Roles that may add and remove members and create invites. */
export function canManageMembers(role: Role): boolean {
  return role === Role.owner || role === Role.admin;
}

// Ids travel in WebSocket paths, IndexedDB names and localStorage keys, so they are restricted
// to a URL-safe alphabet; anything else is refused at the edge instead of being escaped.
const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && idPattern.test(value);
}

/** Throws a TypeError naming `argument` when `value` is not a valid user or Space id. */
export function assertValidId(value: unknown, argument: string): asserts value is string {
  if (!isValidId(value)) {
    throw new TypeError(`${argument} must match ${idPattern} (got ${JSON.stringify(value)})`);
  }
}

/**
 * The id of a user's Personal Space, derived from the user id so two devices that start
 * offline create the same Space, and so the server can tell who may create it.
 */
export function personalSpaceId(userId: string): string {
  assertValidId(userId, 'userId');
  return `personal-${userId}`;
}

/** The WebSocket room of a document; the server parses exactly these two shapes. */
export const roomPath = {
  space: (spaceId: string) => `/space/${spaceId}`,
  user: (userId: string) => `/user/${userId}`,
} as const;

/** WebSocket close codes the server uses and the client acts on. */
export const CloseCode = {
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** The frame was larger than the server's limit (standard "message too big"). */
  tooLarge: 1009,
  /** The server could not check access (storage failure): fail closed, retry later. */
  internalError: 1011,
  /** A frame the protocol cannot parse. */
  malformed: 4400,
  /** No valid ticket: stop reconnecting until the host provides new credentials. */
  unauthenticated: 4401,
  /** Not (or no longer) a member: stop reconnecting, show "access revoked". */
  forbidden: 4403,
  /** Too many messages or connections. */
  rateLimited: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
