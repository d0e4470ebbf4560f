// Fixtures of the kit's end-to-end browser tests: a real sync server started by the test-runner
// plugin, kits that sync with it on a fresh storage prefix each, and cleanup of both.
import { executeServerCommand } from '@web/test-runner-commands';
import { createSpaceKit } from '../../src/kit.ts';
import type { Kit } from '../../src/kit.ts';
import { forgetStorage } from './store-fixtures.ts';

/** A server the plugin started: its HTTP base URL and the plugin's handle. */
export interface StartedServer {
  readonly url: string;
  readonly id: string;
}

/** What the plugin's `scan` action returns. */
export interface ServerScan {
  readonly files: number;
  readonly found: readonly { readonly file: string; readonly marker: string }[];
}

const servers: StartedServer[] = [];
const kits: Kit[] = [];
const prefixes: string[] = [];

/** Starts a fresh dev-mode server with its own data directory; stopped by `cleanUpKits`. */
export async function startServer(): Promise<StartedServer> {
  const server = await executeServerCommand<StartedServer, { action: string }>('sync-server', {
    action: 'start',
  });
  servers.push(server);
  return server;
}

/** Looks for `markers` in the raw bytes of every file of the server's data directory. */
export function scanServer(server: StartedServer, markers: readonly string[]): Promise<ServerScan> {
  return executeServerCommand<ServerScan, { action: string; id: string; markers: string[] }>(
    'sync-server',
    { action: 'scan', id: server.id, markers: [...markers] },
  );
}

/** A dev-login token of `userId` on `server`. */
async function devToken(server: StartedServer, userId: string, name: string): Promise<string> {
  const response = await fetch(`${server.url}/dev/login`, {
    method: 'POST',
    body: JSON.stringify({ userId, name }),
  });
  if (!response.ok) throw new Error(`dev login of ${userId} failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * A kit of `user` syncing with `server`, on a fresh storage prefix (a new device), unlocked with
 * `masterKey` (default: a fresh random one, so every sealed field is really encrypted), or left
 * locked with `null`; destroyed by `cleanUpKits`.
 */
export async function startServerKit(
  server: StartedServer,
  user: { id: string; name: string },
  masterKey: Uint8Array | null = crypto.getRandomValues(new Uint8Array(32)),
): Promise<Kit> {
  const token = await devToken(server, user.id, user.name);
  const storagePrefix = `kit-server-${crypto.randomUUID()}`;
  prefixes.push(storagePrefix);
  const kit = await createSpaceKit({
    user,
    server: server.url,
    getToken: () => Promise.resolve(token),
    storagePrefix,
    ...(masterKey ? { masterKey: masterKey.slice() } : {}),
  });
  kits.push(kit);
  return kit;
}

/** Polls `condition` every 10 ms; rejects naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Destroys the test's kits, stops its servers and deletes the kits' databases and keys. */
export async function cleanUpKits(): Promise<void> {
  await Promise.all(kits.splice(0).map((kit) => kit.destroy()));
  await Promise.all(
    servers
      .splice(0)
      .map((server) => executeServerCommand('sync-server', { action: 'stop', id: server.id })),
  );
  await forgetStorage(prefixes.splice(0));
}
