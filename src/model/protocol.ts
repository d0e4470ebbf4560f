// Message types the kit and the server add to the y-websocket protocol (docs/protocol.md). Both
// sides import them from here, so the numbers cannot drift apart.

export const ExtraMessage = {
  /** Server → client: everything covered by the carried state vector is durably stored. */
  stored: 100,
  /** Server → client on a user room: the user's memberships changed; fetch the Space list. */
  membershipChanged: 101,
} as const;
export type ExtraMessage = (typeof ExtraMessage)[keyof typeof ExtraMessage];
