// HS256 JSON Web Tokens, checked with node:crypto only. The header must say exactly HS256, so
// `alg: none` and algorithm-confusion tokens never reach the signature check.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidId } from '../model/space.ts';

/** The claims the server relies on. */
export interface Claims {
  /** The user id. */
  sub: string;
  /** Display name, shown to other members. */
  name: string;
  /** Expiry, seconds since the epoch. Required. */
  exp: number;
}

const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

function sign(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/** Creates an HS256 token; used by the dev login and by tests. */
export function signJwt(secret: string, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign(secret, `${header}.${payload}`).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies a token and returns its claims, or `undefined` for any token that is malformed,
 * not HS256, wrongly signed, without a numeric `exp`, expired, or without a valid `sub`.
 */
export function verifyJwt(
  secret: string,
  token: string,
  nowSeconds: number,
  clockSkewSeconds: number,
): Claims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = parseJson(headerPart);
  if (!isObject(header) || header.alg !== 'HS256') return undefined;
  if (header.typ !== undefined && header.typ !== 'JWT') return undefined;

  const expected = sign(secret, `${headerPart}.${payloadPart}`);
  const actual = Buffer.from(signaturePart, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;

  const claims = parseJson(payloadPart);
  if (!isObject(claims) || !isValidId(claims.sub)) return undefined;
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return undefined;
  if (claims.exp + clockSkewSeconds <= nowSeconds) return undefined;
  if (typeof claims.nbf === 'number' && claims.nbf - clockSkewSeconds > nowSeconds)
    return undefined;

  const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : claims.sub;
  return { sub: claims.sub, name, exp: claims.exp };
}
