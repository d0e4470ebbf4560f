// Shared fixtures of the store's browser tests: kits on real IndexedDB with a fresh storage
// prefix per test, and cleanup that closes them and deletes their databases and keys.
import * as Y from 'yjs';
import { createSpaceKit } from '../../src/kit.ts';
import type { SpaceKitOptions } from '../../src/kit.ts';
import type { SpaceKit } from '../../src/store/space-kit.ts';

const started: SpaceKit[] = [];
const prefixes: string[] = [];

/** A storage prefix no other test uses. */
export function freshPrefix(): string {
  const prefix = `t-${crypto.randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

/** A host master key the store tests unlock with (no scrypt cost per test). */
export const testMasterKey = new Uint8Array(32).fill(7);

/**
 * Starts a kit on real IndexedDB, unlocked with `testMasterKey` unless the test brings its own
 * codecs or asks for `locked: true`; destroyed by `cleanUp`.
 */
export async function startKit(
  options: Partial<SpaceKitOptions> & { storagePrefix: string; locked?: boolean },
): Promise<SpaceKit> {
  const { locked, ...rest } = options;
  const masterKey = locked || rest.codecs ? undefined : testMasterKey;
  const kit = await createSpaceKit({ user: { id: 'ada', name: 'Ada' }, masterKey, ...rest });
  started.push(kit);
  return kit;
}

/** Destroys every kit started by the test and deletes its databases and localStorage keys. */
export async function cleanUp(): Promise<void> {
  await Promise.all(started.splice(0).map((kit) => kit.destroy()));
  await forgetStorage(prefixes.splice(0));
}

/** Deletes the IndexedDB databases and localStorage keys of destroyed kits' storage prefixes. */
export async function forgetStorage(storagePrefixes: readonly string[]): Promise<void> {
  const mine = (name: string) => storagePrefixes.some((prefix) => name.startsWith(`${prefix}:`));
  const names = (await indexedDB.databases()).map((db) => db.name ?? '');
  await Promise.all(names.filter(mine).map(deleteDatabase));
  for (const key of Object.keys(localStorage)) if (mine(key)) localStorage.removeItem(key);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Every kit is destroyed first, so nothing should block; settle anyway.
    request.onblocked = () => resolve();
  });
}

/** Names of a Space's live tags, in order. */
export function tagNames(kit: SpaceKit): unknown[] {
  return kit.activeSpace.tags.list().map((tag) => tag.name);
}

/** Brings two docs to the same state, as a sync would (origin `test-peer`). */
export function exchange(a: Y.Doc, b: Y.Doc): void {
  const fromA = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const fromB = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, fromA, 'test-peer');
  Y.applyUpdate(a, fromB, 'test-peer');
}

/**
 * A second device of `first`'s user: starts locked on its own storage, receives the user doc and
 * the active Space doc, then unlocks with the same key material (as a synced device would).
 */
export async function startSecondDevice(
  first: SpaceKit,
  options: Partial<SpaceKitOptions> = {},
): Promise<SpaceKit> {
  const second = await startKit({ ...options, storagePrefix: freshPrefix(), locked: true });
  exchange(first.internals.userDoc, second.internals.userDoc);
  const spaceId = first.activeSpace.id;
  await second.switchSpace(spaceId);
  exchange(first.internals.spaceDoc(spaceId) as Y.Doc, second.internals.spaceDoc(spaceId) as Y.Doc);
  if (!options.codecs) await second.unlock({ masterKey: testMasterKey });
  return second;
}
