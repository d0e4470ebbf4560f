// Acceptance: two users in two Chromium instances share a Space through a real server. A rename
// in one kit is seen by the other within a second, presence shows both, and the viewer cannot
// change anything (not through the kit, and not by writing to the document behind its back).
// Both kits are unlocked, so tag names travel encrypted: the viewer reads them only because the
// owner's kit sealed the Space key for the viewer's published public key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { chromiumArgs, findChromium } from '../../scripts/find-chromium.js';
import { mintToken, startTestServer, type TestServer } from '../support/server-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let server: TestServer;
let vite: ViteDevServer;
let viteCache: string;
const browsers: Browser[] = [];

before(async () => {
  server = await startTestServer({ corsOrigin: '*' });
  viteCache = mkdtempSync(join(tmpdir(), 'space-kit-vite-'));
  vite = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    cacheDir: viteCache,
    // Every dependency is ESM already; discovering and pre-bundling them would reload the page.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  await vite.listen();
});

after(async () => {
  await Promise.allSettled(browsers.map((browser) => browser.close()));
  await vite?.close();
  await server?.dispose();
  if (viteCache) rmSync(viteCache, { recursive: true, force: true });
});

/** A fresh Chromium running the test page with a kit for `userId`. */
async function openPeer(userId: string, name: string): Promise<Page> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: [...chromiumArgs],
  });
  browsers.push(browser);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.exposeFunction('getToken', () => mintToken(server.secret, userId, { name }));
  const base = vite.resolvedUrls!.local[0]!;
  await page.goto(new URL('test/pages/sync-peer.html', base).href);
  await page.waitForFunction(() => 'syncPeer' in window);
  await page.evaluate(([url, user]) => window.syncPeer.start(url, user), [
    server.url,
    { id: userId, name },
  ] as const);
  assert.deepEqual(errors, []);
  return page;
}

test('two users in two browsers: live rename, presence, a viewer that cannot write', async () => {
  const [alice, bob] = await Promise.all([openPeer('alice', 'Alice'), openPeer('bob', 'Bob')]);

  await bob.waitForFunction(() => window.syncPeer.publishedKey('bob'));
  const spaceId = await alice.evaluate(() => window.syncPeer.createSharedSpace('Family'));
  await alice.evaluate((id) => window.syncPeer.addMember(id, 'bob', 'viewer'), spaceId);
  await alice.evaluate((id) => window.syncPeer.switchTo(id), spaceId);
  const tagId = await alice.evaluate(() => window.syncPeer.createTag('Groceries'));

  // Bob's Space list learns the Space from the server; he opens it and receives the tag.
  const bobSpaces = await bob.evaluate(() => window.syncPeer.refreshMembership());
  assert.ok(bobSpaces.includes(`${spaceId}:viewer`), bobSpaces.join(', '));
  await bob.evaluate((id) => window.syncPeer.switchTo(id), spaceId);
  await bob.evaluate((id) => window.syncPeer.waitForTagName(id, 'Groceries'), tagId);

  // A rename in Alice's kit reaches Bob's kit within a second.
  const seen = bob.evaluate((id) => window.syncPeer.waitForTagName(id, 'Food'), tagId);
  const started = Date.now();
  assert.equal(await alice.evaluate((id) => window.syncPeer.renameTag(id, 'Food'), tagId), 'ok');
  await seen;
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 1000, `seen after ${elapsed} ms`);

  // Presence shows both.
  await alice.waitForFunction((id) => window.syncPeer.peers(id).includes('bob'), spaceId);
  await bob.waitForFunction((id) => window.syncPeer.peers(id).includes('alice'), spaceId);

  // Presence carries the scene each user is looking at.
  const sceneId = await alice.evaluate(() => window.syncPeer.showNewScene('Planning'));
  await bob.waitForFunction(([id, scene]) => window.syncPeer.peerScene(id, 'alice') === scene, [
    spaceId,
    sceneId,
  ] as const);

  // The viewer cannot change anything: the kit refuses, and the server drops what a tampered
  // client writes behind the kit's back.
  const refused = await bob.evaluate((id) => window.syncPeer.renameTag(id, 'Hacked'), tagId);
  assert.notEqual(refused, 'ok');
  await bob.evaluate((id) => window.syncPeer.writeBehindTheKit(id, 'tampered'), spaceId);
  await alice.evaluate((id) => window.syncPeer.renameTag(id, 'Food & Drink'), tagId);
  await bob.evaluate((id) => window.syncPeer.waitForTagName(id, 'Food & Drink'), tagId);
  assert.equal(await alice.evaluate((id) => window.syncPeer.probe(id), spaceId), null);
  assert.equal(await alice.evaluate((id) => window.syncPeer.tagName(id), tagId), 'Food & Drink');
  assert.equal(
    (await bob.evaluate((id) => window.syncPeer.status(id), spaceId))?.savedOnServer,
    false,
    "the viewer's write is never reported as saved on the server",
  );

  await Promise.all([alice, bob].map((page) => page.evaluate(() => window.syncPeer.destroy())));
});
