// Typed failures of the store, so hosts and elements can show a state instead of parsing text.

/** Why a Space cannot be written. */
export const ReadOnlyReason = {
  /** The document was written by a newer schema than this kit knows. */
  newerSchema: 'newer-schema',
  /** The local user is a viewer of this Space. */
  viewer: 'viewer',
  /** The Space handle was closed (evicted or the kit destroyed). */
  closed: 'closed',
} as const;
export type ReadOnlyReason = (typeof ReadOnlyReason)[keyof typeof ReadOnlyReason];

/** A write to a Space that cannot be written; nothing was changed. */
export class ReadOnlySpaceError extends Error {
  override readonly name = 'ReadOnlySpaceError';
  constructor(
    readonly spaceId: string,
    readonly reason: ReadOnlyReason,
  ) {
    super(readOnlyMessage(spaceId, reason));
  }
}

function readOnlyMessage(spaceId: string, reason: ReadOnlyReason): string {
  switch (reason) {
    case ReadOnlyReason.newerSchema:
      return `Space "${spaceId}" was written by a newer version of space-kit and is read-only`;
    case ReadOnlyReason.viewer:
      return `Space "${spaceId}" is read-only: you are a viewer`;
    case ReadOnlyReason.closed:
      return `Space "${spaceId}" is closed; get a fresh handle from the kit`;
  }
}

/** The user's Space list has no Space with this id. */
export class UnknownSpaceError extends Error {
  override readonly name = 'UnknownSpaceError';
  constructor(readonly spaceId: string) {
    super(`Unknown Space "${spaceId}": it is not in this user's Space list`);
  }
}

/** A record id that is not in the collection (or was deleted). */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';
  constructor(
    readonly collection: string,
    readonly recordId: string,
  ) {
    super(`No record "${recordId}" in collection "${collection}"`);
  }
}

/** `importLegacy` moves data into the Personal Space and refuses when the user has none. */
export class NoPersonalSpaceError extends Error {
  override readonly name = 'NoPersonalSpaceError';
  constructor(readonly spaceId: string) {
    super(`importLegacy needs the Personal Space "${spaceId}", which this user does not have`);
  }
}
