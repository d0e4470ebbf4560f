// "Saved on the server": the server acknowledges durable storage with message type 100
// `stored`, carrying the state vector of what it has stored (docs/protocol.md).
import * as Y from 'yjs';

/** A decoded state vector: client id → number of that client's structs. */
export type StateVector = Map<number, number>;

/** Decodes the state vector a `stored` message carries. */
export function decodeStoredVector(bytes: Uint8Array): StateVector {
  return Y.decodeStateVector(bytes);
}

/** The state vector of everything in `doc`. */
export function localStateVector(doc: Y.Doc): StateVector {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/**
 * True when `stored` covers `local`: for every client, the local clock is at most the stored
 * clock. An empty local document is covered by anything (there is nothing to save).
 */
export function isCoveredBy(local: StateVector, stored: StateVector | null): boolean {
  for (const [client, clock] of local) {
    if (clock > (stored?.get(client) ?? 0)) return false;
  }
  return true;
}
