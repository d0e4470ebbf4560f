// The one parse of a WebSocket request URL. Authorization and routing both use its result, so
// a path cannot mean one room to the access check and another to the router. Nothing is
// decoded or normalised: anything but the exact shape is refused.
import { isValidId } from '../model/space.ts';

/** A parsed room address: a Space document or a user document, plus the ticket. */
export interface RoomAddress {
  kind: 'space' | 'user';
  id: string;
  ticket: string | undefined;
  /** The room's key inside the server, also the document name in storage. */
  room: string;
}

/** Why a URL was refused. */
export type PathRefusal = 'bad-path' | 'bad-query';

const pathPattern = /^\/(space|user)\/([^/?#]+)$/;
const ticketPattern = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Parses a raw request URL (`req.url`) such as `/space/abc?ticket=…`. Refuses `%`, `..`,
 * doubled or trailing slashes, non-ASCII, fragments and any query but a single `ticket`.
 */
export function parseRoomUrl(rawUrl: string | undefined): RoomAddress | { refusal: PathRefusal } {
  if (rawUrl === undefined || rawUrl.length > 512 || !/^[\x21-\x7e]+$/.test(rawUrl)) {
    return { refusal: 'bad-path' };
  }
  if (rawUrl.includes('%') || rawUrl.includes('#') || rawUrl.includes('\\')) {
    return { refusal: 'bad-path' };
  }

  const queryStart = rawUrl.indexOf('?');
  const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart === -1 ? undefined : rawUrl.slice(queryStart + 1);

  const match = pathPattern.exec(path);
  if (match === null || !isValidId(match[2])) return { refusal: 'bad-path' };
  const kind = match[1] as 'space' | 'user';
  const id = match[2];

  let ticket: string | undefined;
  if (query !== undefined) {
    const ticketMatch = /^ticket=(.*)$/.exec(query);
    if (ticketMatch === null || !ticketPattern.test(ticketMatch[1]!)) {
      return { refusal: 'bad-query' };
    }
    ticket = ticketMatch[1];
  }
  return { kind, id, ticket, room: `${kind}/${id}` };
}
