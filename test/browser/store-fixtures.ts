// Shared fixtures of the store's browser tests: kits on real IndexedDB with a fresh storage
// prefix per test, and cleanup that closes them and deletes their databases and keys.
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

/** Starts a kit on real IndexedDB; destroyed by `cleanUp`. */
export async function startKit(
  options: Partial<SpaceKitOptions> & { storagePrefix: string },
): Promise<SpaceKit> {
  const kit = await createSpaceKit({ user: { id: 'ada', name: 'Ada' }, ...options });
  started.push(kit);
  return kit;
}

/** Destroys every kit started by the test and deletes its databases and localStorage keys. */
export async function cleanUp(): Promise<void> {
  await Promise.all(started.splice(0).map((kit) => kit.destroy()));
  const names = (await indexedDB.databases()).map((db) => db.name ?? '');
  const mine = (name: string) => prefixes.some((prefix) => name.startsWith(`${prefix}:`));
  await Promise.all(names.filter(mine).map(deleteDatabase));
  for (const key of Object.keys(localStorage)) if (mine(key)) localStorage.removeItem(key);
  prefixes.length = 0;
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
