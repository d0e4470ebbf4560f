// Record ids: random for everything a person creates, derived for what must converge.
import { sha256 } from '@noble/hashes/sha2.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A random 21-character url-safe id (126 bits), valid as a Space id and as a record id. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(21));
  let id = '';
  for (const byte of bytes) id += alphabet[byte & 63];
  return id;
}

/**
 * A deterministic id for a record imported from elsewhere: the same `(collection, sourceId)`
 * always gives the same id, so an import run twice finds what the first run wrote.
 */
export function derivedId(collection: string, sourceId: string): string {
  const digest = sha256(new TextEncoder().encode(`${collection}\u0000${sourceId}`));
  let id = 'lg-';
  for (const byte of digest.subarray(0, 18)) id += alphabet[byte & 63];
  return id;
}
