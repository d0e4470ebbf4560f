// The JSON HTTP endpoints (docs/server.md). Every handler runs inside one try/catch: a storage
// failure answers 503, and nothing a client sends can throw out of the process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidId, type Role } from '../model/space.ts';
import { signJwt, verifyJwt, type Claims } from './jwt.ts';
import type { ResolvedOptions } from './options.ts';
import type { Outcome, SpaceDirectory } from './spaces.ts';
import type { TicketBook } from './tickets.ts';

const maxBodyBytes = 64 * 1024;
const devTokenSeconds = 12 * 3600;

export interface HttpDependencies {
  options: ResolvedOptions;
  directory: SpaceDirectory;
  tickets: TicketBook;
  renderMetrics(): string;
  /** Told after a membership changed; `role` undefined means removed. */
  onMembershipChanged(spaceId: string, userId: string, role: Role | undefined): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body must be JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function answer<T>(res: ServerResponse, outcome: Outcome<T>): void {
  if ('error' in outcome) sendJson(res, outcome.status, { error: outcome.error });
  else sendJson(res, outcome.status, outcome.value);
}

/** Builds the request listener of the HTTP server. */
export function createHttpHandler(deps: HttpDependencies) {
  const { options, directory, tickets } = deps;
  // Names are written when they change, not on every request.
  const knownNames = new Map<string, string>();

  function authenticate(req: IncomingMessage): Claims {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/.exec(header) : null;
    if (match === null) throw new HttpError(401, 'missing bearer token');
    const claims = verifyJwt(
      options.jwtSecret,
      match[1]!,
      Date.now() / 1000,
      options.clockSkewSeconds,
    );
    if (claims === undefined) throw new HttpError(401, 'invalid token');
    return claims;
  }

  async function rememberName(claims: Claims): Promise<void> {
    if (knownNames.get(claims.sub) === claims.name) return;
    await directory.store.setUserName(claims.sub, claims.name);
    if (knownNames.size > 10_000) knownNames.clear();
    knownNames.set(claims.sub, claims.name);
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = path.split('/').slice(1);

    if (method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(deps.renderMetrics());
      return;
    }
    if (method === 'POST' && path === '/dev/login' && options.dev) {
      const body = await readJson(req);
      if (!isValidId(body.userId)) throw new HttpError(400, 'userId must be a valid id');
      const name = typeof body.name === 'string' && body.name !== '' ? body.name : body.userId;
      const exp = Math.floor(Date.now() / 1000) + devTokenSeconds;
      return sendJson(res, 200, {
        token: signJwt(options.jwtSecret, { sub: body.userId, name, exp }),
      });
    }

    const claims = authenticate(req);
    const caller = claims.sub;

    if (method === 'POST' && path === '/tickets') {
      await rememberName(claims);
      const ticket = tickets.issue({ userId: caller, name: claims.name });
      if (ticket === undefined) throw new HttpError(503, 'too many outstanding tickets');
      return sendJson(res, 200, { ticket });
    }
    if (method === 'GET' && path === '/spaces') {
      const spaces = await directory.store.listSpacesOf(caller);
      return sendJson(
        res,
        200,
        spaces.map(({ id, type, role }) => ({ id, type, role })),
      );
    }
    if (method === 'POST' && path === '/spaces') {
      const body = await readJson(req);
      await rememberName(claims);
      return answer(res, await directory.createSpace(caller, body.id, body.type));
    }
    if (parts[0] === 'spaces' && isValidId(parts[1]) && parts[2] === 'members') {
      const spaceId = parts[1];
      if (method === 'GET' && parts.length === 3) {
        return answer(res, await directory.listMembers(caller, spaceId));
      }
      if (method === 'POST' && parts.length === 3) {
        const body = await readJson(req);
        const outcome = await directory.setMember(caller, spaceId, body.userId, body.role);
        if ('value' in outcome)
          deps.onMembershipChanged(spaceId, outcome.value.userId, outcome.value.role);
        return answer(res, outcome);
      }
      if (method === 'DELETE' && parts.length === 4 && isValidId(parts[3])) {
        const outcome = await directory.removeMember(caller, spaceId, parts[3]);
        if ('value' in outcome) deps.onMembershipChanged(spaceId, parts[3], undefined);
        return answer(res, outcome);
      }
    }
    if (
      method === 'POST' &&
      parts[0] === 'spaces' &&
      isValidId(parts[1]) &&
      parts[2] === 'invites' &&
      parts.length === 3
    ) {
      const body = await readJson(req);
      return answer(res, await directory.createInvite(caller, parts[1], body.role));
    }
    if (
      method === 'POST' &&
      parts[0] === 'invites' &&
      parts[2] === 'accept' &&
      parts.length === 3
    ) {
      await rememberName(claims);
      const outcome = await directory.acceptInvite(caller, parts[1] ?? '');
      if ('value' in outcome)
        deps.onMembershipChanged(outcome.value.id, caller, outcome.value.role);
      return answer(res, outcome);
    }
    if (method === 'PUT' && path === '/users/me/public-key') {
      const body = await readJson(req);
      const key = body.publicKey;
      if (
        typeof key !== 'string' ||
        !/^[A-Za-z0-9_-]{43}$/.test(key) ||
        Buffer.from(key, 'base64url').length !== 32
      ) {
        throw new HttpError(400, 'publicKey must be 32 bytes in base64url');
      }
      await directory.store.setPublicKey(caller, key);
      return sendJson(res, 200, { userId: caller, publicKey: key });
    }
    if (
      method === 'GET' &&
      parts[0] === 'users' &&
      isValidId(parts[1]) &&
      parts[2] === 'public-key' &&
      parts.length === 3
    ) {
      const publicKey = await directory.store.getPublicKey(parts[1]);
      if (publicKey === undefined) throw new HttpError(404, 'no public key');
      return sendJson(res, 200, { userId: parts[1], publicKey });
    }
    throw new HttpError(404, 'not found');
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.corsOrigin !== undefined) {
      res.setHeader('access-control-allow-origin', options.corsOrigin);
      res.setHeader('vary', 'origin');
    }
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      await route(req, res, path);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
      // Storage failures and anything unexpected: fail closed, say little.
      else sendJson(res, 503, { error: 'service unavailable' });
    }
  };
}
