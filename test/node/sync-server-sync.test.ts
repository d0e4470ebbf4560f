// createServerSync against a real server: Space registration before connect, membership into the
// kit's list, invites, and the member directory the key layer uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Role, SpaceType } from '../../src/model/space.ts';
import type { ServerSpace } from '../../src/sync/server-api.ts';
import { createServerSync } from '../../src/sync/server-sync.ts';
import { mintToken, startTestServer, type TestServer } from '../support/server-harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.dispose());

function syncFor(userId: string) {
  return createServerSync({
    server: server.url,
    user: { id: userId, name: userId },
    getToken: async () => mintToken(server.secret, userId),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
}

/** The part of a kit the sync layer uses, with an in-memory Space list. */
function listKit(userId: string, entries: { id: string; type: SpaceType; role: Role }[] = []) {
  const listeners = new Set<() => void>();
  const applied: ServerSpace[][] = [];
  return {
    applied,
    user: { id: userId, name: userId },
    spaces: {
      list: () => entries,
      observe(listener: () => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      applyMembership(spaces: readonly ServerSpace[]) {
        applied.push([...spaces]);
        for (const space of spaces) {
          if (!entries.some((entry) => entry.id === space.id)) entries.push({ ...space });
        }
        for (const listener of listeners) listener();
      },
    },
  };
}

test('a Space the kit created offline is registered before its first connect', async () => {
  const sync = syncFor('olga');
  const kit = listKit('olga', [{ id: 'club-offline', type: 'club', role: 'owner' }]);
  sync.bind(kit);
  const doc = new Y.Doc();
  const connection = sync.attachment.attach(doc, { kind: 'space', id: 'club-offline' });
  await connection.status.whenSynced();
  assert.deepEqual(await sync.api.listSpaces(), [
    { id: 'club-offline', type: 'club', role: 'owner' },
  ]);
  doc.getMap('tags').set('t', 'x');
  await connection.status.whenSavedOnServer();
  await connection.destroy();
  sync.destroy();
});

test('the Personal Space is registered by its derived id', async () => {
  const sync = syncFor('pia');
  const doc = new Y.Doc();
  const connection = sync.attachment.attach(doc, { kind: 'space', id: 'personal-pia' });
  await connection.status.whenSynced();
  assert.equal(sync.statusOf('personal-pia'), connection.status);
  assert.ok(sync.presenceOf('personal-pia'));
  await connection.destroy();
  assert.equal(sync.statusOf('personal-pia'), undefined, 'forgotten after destroy');
});

test('membership from the server and accepted invites reach the kit list', async () => {
  const owner = syncFor('oscar');
  await owner.registerSpace('brand-shared', 'brand');
  await owner.addMember('brand-shared', 'nina', 'member');
  const code = await owner.createInvite('brand-shared', 'viewer');

  const nina = syncFor('nina');
  const ninaKit = listKit('nina');
  nina.bind(ninaKit);
  await nina.refreshMembership();
  assert.ok(ninaKit.spaces.list().some((space) => space.id === 'brand-shared'));

  const max = syncFor('max');
  const maxKit = listKit('max');
  max.bind(maxKit);
  assert.deepEqual(await max.acceptInvite(code), {
    id: 'brand-shared',
    type: 'brand',
    role: 'viewer',
  });
  assert.deepEqual(maxKit.spaces.list(), [{ id: 'brand-shared', type: 'brand', role: 'viewer' }]);
  for (const sync of [owner, nina, max]) sync.destroy();
  assert.throws(() => nina.bind(ninaKit), /destroyed/);
});

test('the member directory lists members with their published public keys', async () => {
  const owner = syncFor('ursula');
  await owner.registerSpace('team-keys', 'team');
  await owner.addMember('team-keys', 'vic', 'member');
  const key = Buffer.alloc(32, 3).toString('base64url');
  await syncFor('vic').publishPublicKey(key);
  const members = await owner.members.list('team-keys');
  assert.deepEqual(
    [...members].sort((a, b) => a.userId.localeCompare(b.userId)),
    [
      { userId: 'ursula', role: 'owner' },
      { userId: 'vic', role: 'member', publicKey: key },
    ],
  );
});
