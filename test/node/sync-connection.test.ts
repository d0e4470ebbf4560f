// The server attachment against a real space-kit-server on loopback, over real WebSockets.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { ServerAttachment, type ServerConnection } from '../../src/sync/connection.ts';
import { ServerApi } from '../../src/sync/server-api.ts';
import { ConnectionState } from '../../src/sync/status.ts';
import { mintToken, startTestServer, waitFor, type TestServer } from '../support/server-harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.dispose());

const opened: ServerConnection[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((connection) => connection.destroy()));
});

const fastBackoff = { baseMs: 20, maxMs: 200, jitter: 0.5 };

interface Client {
  doc: Y.Doc;
  connection: ServerConnection;
  api: ServerApi;
  /** Times of every ticket request, in ms. */
  tickets: number[];
}

function apiFor(userId: string, target: { url: string } = server, tickets: number[] = []) {
  return new ServerApi({
    server: target.url,
    getToken: async () => mintToken(server.secret, userId),
    // Counts ticket requests; the request itself goes to the real server.
    fetch: (input, init) => {
      if (String(input).endsWith('/tickets')) tickets.push(Date.now());
      return fetch(input, init);
    },
  });
}

function connect(userId: string, spaceId: string, options: { url?: string } = {}): Client {
  const tickets: number[] = [];
  const api = apiFor(userId, { url: options.url ?? server.url }, tickets);
  const attachment = new ServerAttachment({
    api,
    user: { id: userId, name: userId },
    backoff: fastBackoff,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const doc = new Y.Doc();
  const connection = attachment.attach(doc, { kind: 'space', id: spaceId });
  opened.push(connection);
  return { doc, connection, api, tickets };
}

async function sharedSpace(spaceId: string, members: Record<string, 'member' | 'viewer'>) {
  const owner = apiFor('owner');
  await owner.createSpace({ id: spaceId, type: 'team' });
  for (const [userId, role] of Object.entries(members)) {
    await owner.addMember(spaceId, userId, role);
  }
  return owner;
}

const tags = (client: Client) => client.doc.getMap<string>('tags');

test('syncs both ways through connecting → syncing → synced, saves on the server', async () => {
  await sharedSpace('team-live', { alice: 'member', bob: 'member' });
  const alice = connect('alice', 'team-live');
  assert.equal(alice.connection.status.current.connection, 'connecting', 'fetching a ticket');
  const states: string[] = [];
  alice.connection.status.subscribe((status) => states.push(status.connection));
  const bob = connect('bob', 'team-live');
  await Promise.all([alice.connection.status.whenSynced(), bob.connection.status.whenSynced()]);
  assert.deepEqual(states, ['syncing', 'synced']);

  tags(alice).set('t1', 'Groceries');
  assert.equal(alice.connection.status.current.savedOnServer, false, 'not yet acknowledged');
  await alice.connection.status.whenSavedOnServer();
  await waitFor(() => tags(bob).get('t1') === 'Groceries', 2000, 'bob sees the tag');
  tags(bob).set('t1', 'Food');
  await waitFor(() => tags(alice).get('t1') === 'Food', 2000, 'alice sees the rename');
  await bob.connection.status.whenSavedOnServer();
  assert.equal(alice.tickets.length, 1, 'one ticket for one connect');
});

test('offline edits on both sides converge when the server is back (fresh tickets)', async () => {
  // A server of its own, restarted on the same port and data directory.
  const own = await startTestServer({ jwtSecret: server.secret });
  const { port, dataDir } = { port: own.server.port, dataDir: own.dataDir };
  const owner = apiFor('owner', own);
  await owner.createSpace({ id: 'team-offline', type: 'team' });
  await owner.addMember('team-offline', 'alice', 'member');
  await owner.addMember('team-offline', 'bob', 'member');

  const alice = connect('alice', 'team-offline', { url: own.url });
  const bob = connect('bob', 'team-offline', { url: own.url });
  await Promise.all([alice.connection.status.whenSynced(), bob.connection.status.whenSynced()]);
  tags(alice).set('shared', 'before');
  await waitFor(() => tags(bob).get('shared') === 'before', 2000, 'initial sync');

  await own.server.close();
  await waitFor(
    () => [alice, bob].every((c) => c.connection.status.current.connection !== 'synced'),
    2000,
    'both notice the server is gone',
  );
  for (let index = 0; index < 20; index++) {
    tags(alice).set(`a${index}`, `alice ${index}`);
    tags(bob).set(`b${index}`, `bob ${index}`);
  }
  tags(alice).set('shared', 'alice offline');
  tags(bob).set('b0', 'bob renamed offline');
  assert.equal(alice.connection.status.current.savedOnServer, false);
  await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed attempts

  const restarted = await startTestServer({ jwtSecret: server.secret, port, data: dataDir });
  try {
    await Promise.all([
      alice.connection.status.whenSavedOnServer(),
      bob.connection.status.whenSavedOnServer(),
    ]);
    await waitFor(
      () => tags(alice).size === tags(bob).size && tags(alice).size === 41,
      5000,
      'both sides hold all 41 tags',
    );
    assert.deepEqual(tags(alice).toJSON(), tags(bob).toJSON());
    assert.equal(tags(bob).get('shared'), 'alice offline');
    assert.equal(tags(alice).get('b0'), 'bob renamed offline');
    assert.ok(alice.tickets.length >= 2, 'a fresh ticket for the reconnect');
  } finally {
    await Promise.all(opened.splice(0).map((connection) => connection.destroy()));
    await restarted.dispose();
  }
});

test('while the server is down, attempts back off exponentially', async () => {
  const own = await startTestServer({ jwtSecret: server.secret });
  const url = own.url;
  await own.dispose();
  const client = connect('alice', 'team-nowhere', { url });
  await waitFor(() => client.tickets.length >= 6, 5000, 'six attempts');
  const gaps = client.tickets.slice(1).map((time, index) => time - client.tickets[index]!);
  // 20, 40, 80, 160, 200 ms ±50%: later gaps are clearly longer than the first.
  assert.ok(gaps[4]! > gaps[0]! * 2, `gaps grow: ${gaps.join(', ')}`);
  assert.ok(
    gaps.every((gap) => gap <= 300 + 50),
    `capped: ${gaps.join(', ')}`,
  );
  assert.equal(client.connection.status.current.connection === 'synced', false);
});

test('removal closes with 4403: revoked, waiters rejected, no reconnect', async () => {
  const owner = await sharedSpace('team-revoke', { bob: 'member' });
  const bob = connect('bob', 'team-revoke');
  await bob.connection.status.whenSynced();
  const saved = bob.connection.status.whenSavedOnServer().catch((error: Error) => error);
  tags(bob).set('pending', 'x');
  await owner.removeMember('team-revoke', 'bob');
  await waitFor(() => bob.connection.status.current.connection === 'revoked', 2000, 'revoked');
  assert.equal(bob.connection.status.current.revokedCode, 4403);
  const ticketsAtRevoke = bob.tickets.length;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(bob.tickets.length, ticketsAtRevoke, 'no reconnect attempt after 4403');
  await assert.rejects(bob.connection.status.whenSynced(), { reason: 'revoked' });
  const result = await saved;
  assert.ok(result === undefined || (result as { reason?: string }).reason === 'revoked');
});

test('a non-member is refused with 4403 and never receives the document', async () => {
  await sharedSpace('team-closed', {});
  const owner = connect('owner', 'team-closed');
  await owner.connection.status.whenSynced();
  tags(owner).set('secret', 'value');
  await owner.connection.status.whenSavedOnServer();

  const mallory = connect('mallory', 'team-closed');
  await waitFor(() => mallory.connection.status.current.connection === 'revoked', 2000, 'refused');
  assert.equal(mallory.connection.status.current.revokedCode, 4403);
  assert.equal(tags(mallory).size, 0);
  assert.equal(mallory.connection.presence!.peers().length, 0);
});

test('reconnect() after revocation tries again with a fresh ticket', async () => {
  const owner = await sharedSpace('team-readmit', {});
  const bob = connect('bob', 'team-readmit');
  await waitFor(() => bob.connection.status.current.connection === 'revoked', 2000, 'refused');
  await owner.addMember('team-readmit', 'bob', 'member');
  bob.connection.reconnect();
  await bob.connection.status.whenSynced();
  assert.equal(bob.connection.status.current.revokedCode, null);
  assert.equal(bob.tickets.length, 2);
});

test("a viewer's writes are dropped by the server and never count as saved there", async () => {
  await sharedSpace('team-viewer', { alice: 'member', vera: 'viewer' });
  const alice = connect('alice', 'team-viewer');
  const vera = connect('vera', 'team-viewer');
  await Promise.all([alice.connection.status.whenSynced(), vera.connection.status.whenSynced()]);
  tags(alice).set('t', 'from alice');
  await waitFor(() => tags(vera).get('t') === 'from alice', 2000, 'the viewer receives');
  tags(vera).set('t', 'from vera');
  tags(alice).set('ping', 'after'); // a later write that does arrive
  await waitFor(() => tags(vera).get('ping') === 'after', 2000, 'later update reaches vera');
  await alice.connection.status.whenSavedOnServer();
  assert.equal(tags(alice).get('t'), 'from alice');
  assert.equal(vera.connection.status.current.savedOnServer, false);
});

test('presence shows the other user and their scene, and they leave on destroy', async () => {
  await sharedSpace('team-presence', { alice: 'member', bob: 'member' });
  const alice = connect('alice', 'team-presence');
  const bob = connect('bob', 'team-presence');
  await Promise.all([alice.connection.status.whenSynced(), bob.connection.status.whenSynced()]);
  bob.connection.presence!.setScene('overview');
  await waitFor(
    () => alice.connection.presence!.peers()[0]?.sceneId === 'overview',
    2000,
    'alice sees bob on overview',
  );
  assert.deepEqual(
    bob.connection.presence!.peers().map((peer) => peer.userId),
    ['alice'],
  );
  await bob.connection.destroy();
  await waitFor(() => alice.connection.presence!.peers().length === 0, 2000, 'bob left');
});

test('destroy closes the socket, leaves no listeners and settles waiters', async () => {
  await sharedSpace('team-destroy', { alice: 'member' });
  const alice = connect('alice', 'team-destroy');
  await alice.connection.status.whenSynced();
  const before = server.server.connectionCount;
  tags(alice).set('x', 'y');
  const pending = alice.connection.status.whenSavedOnServer();
  await alice.connection.destroy();
  await assert.rejects(pending, { reason: 'detached' });
  assert.equal(alice.connection.status.current.connection, ConnectionState.offline);
  assert.equal(alice.connection.status.listenerCount, 0);
  await waitFor(() => server.server.connectionCount === before - 1, 2000, 'socket closed');
  alice.doc.destroy();
  await assert.rejects(alice.connection.status.whenSavedLocally(), { reason: 'closed' });
});
