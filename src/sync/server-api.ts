// A typed client for the sync server's HTTP endpoints (DESIGN §4). Every request carries a fresh
// bearer token from the host's `getToken`; tokens never appear in URLs, errors or logs.
import { assertValidId, isRole, isSpaceType } from '../model/space.ts';
import type { Role, SpaceType } from '../model/space.ts';

/** How to reach the server. */
export interface ServerApiOptions {
  /** The server's HTTP base URL, e.g. `http://127.0.0.1:4444`. */
  readonly server: string;
  /** Returns a valid JWT for the current user; called for every request. */
  readonly getToken: () => Promise<string>;
  /** Abort a request after this many ms (default 15 000), so every call settles. */
  readonly timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** A Space as the server knows it: id, type and the caller's role. */
export interface ServerSpace {
  readonly id: string;
  readonly type: SpaceType;
  readonly role: Role;
}

/** A member of a Space as the server knows it. */
export interface ServerMember {
  readonly userId: string;
  readonly role: Role;
  /** The display name from the member's token, when the server has seen them. */
  readonly name?: string;
}

/** The server answered with an error status. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(
    /** HTTP status, e.g. 403. */
    readonly status: number,
    /** Machine-readable code from the status: `forbidden`, `not-found`, …, `http-<status>`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server could not be reached, timed out, or answered with something that is not JSON. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const defaultTimeoutMs = 15_000;

/** Typed calls to the server's HTTP API. */
export class ServerApi {
  /** The HTTP base URL without trailing slash. */
  readonly server: string;
  readonly #getToken: () => Promise<string>;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: ServerApiOptions) {
    if (typeof options?.server !== 'string' || !/^https?:\/\//.test(options.server)) {
      throw new TypeError('server must be an http(s) URL');
    }
    if (typeof options.getToken !== 'function') throw new TypeError('getToken must be a function');
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
    this.server = options.server.replace(/\/+$/, '');
    this.#getToken = options.getToken;
    this.#timeoutMs = timeoutMs;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The WebSocket base URL matching `server` (http → ws, https → wss). */
  get websocketUrl(): string {
    return this.server.replace(/^http/, 'ws');
  }

  /** A single-use ticket (valid 60 s) for one WebSocket connect. */
  async createTicket(): Promise<string> {
    const body = await this.#request('POST', '/tickets', {});
    const ticket = (body as { ticket?: unknown })?.ticket;
    if (typeof ticket !== 'string' || ticket === '') throw badResponse('/tickets');
    return ticket;
  }

  /** The caller's Spaces. */
  async listSpaces(): Promise<ServerSpace[]> {
    const body = await this.#request('GET', '/spaces');
    if (!Array.isArray(body)) throw badResponse('/spaces');
    return body.map((entry) => parseSpace(entry, '/spaces'));
  }

  /**
   * Creates a Space with the caller as owner. For the Personal Space pass its derived id;
   * creating it again returns it.
   */
  async createSpace(space: { id?: string; type: SpaceType }): Promise<ServerSpace> {
    if (space.id !== undefined) assertValidId(space.id, 'space.id');
    if (!isSpaceType(space.type)) throw new TypeError(`space.type is not a Space type`);
    return parseSpace(await this.#request('POST', '/spaces', space), '/spaces');
  }

  /** The members of a Space and their roles. */
  async listMembers(spaceId: string): Promise<ServerMember[]> {
    assertValidId(spaceId, 'spaceId');
    const path = `/spaces/${spaceId}/members`;
    const body = await this.#request('GET', path);
    if (!Array.isArray(body)) throw badResponse(path);
    return body.map((entry) => parseMember(entry, path));
  }

  /** Adds `userId` to a Space with `role`, or changes their role (owner/admin only). */
  async addMember(spaceId: string, userId: string, role: Role): Promise<void> {
    assertValidId(spaceId, 'spaceId');
    assertValidId(userId, 'userId');
    if (!isRole(role)) throw new TypeError('role is not a Role');
    await this.#request('POST', `/spaces/${spaceId}/members`, { userId, role });
  }

  /** Removes `userId` from a Space; the server closes their open sockets (owner/admin only). */
  async removeMember(spaceId: string, userId: string): Promise<void> {
    assertValidId(spaceId, 'spaceId');
    assertValidId(userId, 'userId');
    await this.#request('DELETE', `/spaces/${spaceId}/members/${userId}`);
  }

  /** Creates an invite code that grants `role` in a Space to whoever accepts it. */
  async createInvite(spaceId: string, role: Role): Promise<string> {
    assertValidId(spaceId, 'spaceId');
    if (!isRole(role)) throw new TypeError('role is not a Role');
    const path = `/spaces/${spaceId}/invites`;
    const code = ((await this.#request('POST', path, { role })) as { code?: unknown })?.code;
    if (typeof code !== 'string' || code === '') throw badResponse(path);
    return code;
  }

  /** Accepts an invite: the caller becomes a member. Returns the Space joined. */
  async acceptInvite(code: string): Promise<ServerSpace> {
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(code)) {
      throw new TypeError('code must be an invite code');
    }
    const path = `/invites/${code}/accept`;
    return parseSpace(await this.#request('POST', path, {}), path);
  }

  /** Publishes the caller's identity public key (base64url of the raw X25519 key). */
  async putPublicKey(publicKey: string): Promise<void> {
    if (typeof publicKey !== 'string' || publicKey === '') {
      throw new TypeError('publicKey must be a non-empty string');
    }
    await this.#request('PUT', '/users/me/public-key', { publicKey });
  }

  /** A user's published identity public key, or null when they have none. */
  async getPublicKey(userId: string): Promise<string | null> {
    assertValidId(userId, 'userId');
    const path = `/users/${userId}/public-key`;
    try {
      const key = ((await this.#request('GET', path)) as { publicKey?: unknown })?.publicKey;
      if (typeof key !== 'string') throw badResponse(path);
      return key;
    } catch (error) {
      if (error instanceof ServerError && error.status === 404) return null;
      throw error;
    }
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const token = await this.#getToken();
    if (typeof token !== 'string' || token === '') {
      throw new TypeError('getToken must resolve to a non-empty string');
    }
    let response: Response;
    try {
      response = await this.#fetch(this.server + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      // The cause names the URL and the failure, never the token (it is only in a header).
      throw new NetworkError(`${method} ${path} failed: ${describe(error)}`, { cause: error });
    }

    const text = await readText(response, method, path);
    const json = parseJson(text);
    if (!response.ok) throw toServerError(response.status, json, method, path);
    if (text !== '' && json === undefined) {
      throw new NetworkError(`${method} ${path} answered with something that is not JSON`);
    }
    return json ?? null;
  }
}

async function readText(response: Response, method: string, path: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new NetworkError(`${method} ${path} failed: ${describe(error)}`, { cause: error });
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Stable codes for the statuses the server uses; its body carries `{error: <message>}`.
const codeByStatus: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'expired',
  413: 'too-large',
  429: 'rate-limited',
  503: 'unavailable',
};

function toServerError(status: number, body: unknown, method: string, path: string): ServerError {
  const error = (body as { error?: unknown } | undefined)?.error;
  const code = codeByStatus[status] ?? `http-${status}`;
  const message = typeof error === 'string' ? error : `${method} ${path} answered ${status}`;
  return new ServerError(status, code, message);
}

function parseSpace(value: unknown, path: string): ServerSpace {
  const entry = value as Partial<ServerSpace> | null;
  if (!entry || typeof entry.id !== 'string' || !isSpaceType(entry.type) || !isRole(entry.role)) {
    throw badResponse(path);
  }
  return { id: entry.id, type: entry.type, role: entry.role };
}

function parseMember(value: unknown, path: string): ServerMember {
  const entry = value as Partial<ServerMember> | null;
  if (!entry || typeof entry.userId !== 'string' || !isRole(entry.role)) throw badResponse(path);
  const name = typeof entry.name === 'string' ? { name: entry.name } : {};
  return { userId: entry.userId, role: entry.role, ...name };
}

function badResponse(path: string): ServerError {
  return new ServerError(502, 'bad-response', `${path} answered with an unexpected shape`);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : error.message;
  return String(error);
}
