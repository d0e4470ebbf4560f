import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { NetworkError, ServerApi, ServerError } from '../../src/sync/server-api.ts';
import { mintToken, startTestServer, type TestServer } from '../support/server-harness.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.dispose());

function apiFor(userId: string, options: { fetch?: typeof fetch } = {}): ServerApi {
  return new ServerApi({
    server: server.url,
    getToken: async () => mintToken(server.secret, userId, { name: userId.toUpperCase() }),
    ...options,
  });
}

test('creates Spaces, lists them, manages members and invites end to end', async () => {
  const alice = apiFor('alice');
  const bob = apiFor('bob');
  const carol = apiFor('carol');

  const personal = await alice.createSpace({ id: 'personal-alice', type: 'personal' });
  assert.deepEqual(personal, { id: 'personal-alice', type: 'personal', role: 'owner' });
  assert.deepEqual(await alice.createSpace({ id: 'personal-alice', type: 'personal' }), personal);
  const team = await alice.createSpace({ id: 'team-api', type: 'team' });
  assert.deepEqual((await alice.listSpaces()).map((space) => space.id).sort(), [
    'personal-alice',
    'team-api',
  ]);

  await alice.addMember('team-api', 'bob', 'viewer');
  assert.deepEqual(await bob.listSpaces(), [{ ...team, role: 'viewer' }]);
  const code = await alice.createInvite('team-api', 'member');
  assert.deepEqual(await carol.acceptInvite(code), { ...team, role: 'member' });
  const members = await alice.listMembers('team-api');
  assert.deepEqual(members.map((member) => `${member.userId}:${member.role}`).sort(), [
    'alice:owner',
    'bob:viewer',
    'carol:member',
  ]);
  assert.equal(members.find((member) => member.userId === 'carol')?.name, 'CAROL');

  await alice.removeMember('team-api', 'bob');
  assert.deepEqual(await bob.listSpaces(), []);
  assert.equal(typeof (await bob.createTicket()), 'string');
});

test('refusals become ServerError with status and code', async () => {
  const alice = apiFor('alice2');
  const bob = apiFor('bob2');
  const space = await alice.createSpace({ id: 'team-refusals', type: 'team' });
  // Creating again as its owner returns it: a Space created offline can be registered later.
  assert.deepEqual(await alice.createSpace({ id: 'team-refusals', type: 'team' }), space);

  await assert.rejects(bob.addMember('team-refusals', 'bob2', 'admin'), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 403);
    assert.equal(error.code, 'forbidden');
    return true;
  });
  await assert.rejects(bob.createSpace({ id: 'personal-alice2', type: 'personal' }), {
    status: 403,
  });
  await assert.rejects(bob.createSpace({ id: 'team-refusals', type: 'team' }), {
    status: 409,
    code: 'conflict',
  });
  await assert.rejects(bob.acceptInvite('x'.repeat(32)), { status: 404, code: 'not-found' });
  assert.equal(await alice.getPublicKey('nobody'), null);

  const key = Buffer.alloc(32, 7).toString('base64url');
  await alice.putPublicKey(key);
  assert.equal(await bob.getPublicKey('alice2'), key);
});

test('a bad token is a 401 ServerError whose message never holds the token', async () => {
  const token = 'not.a.token';
  const api = new ServerApi({ server: server.url, getToken: async () => token });
  await assert.rejects(api.createTicket(), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'unauthenticated');
    assert.ok(!error.message.includes(token) && !String(error.stack).includes(token));
    return true;
  });
});

test('an unreachable server and a timeout become NetworkError', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const closed = new ServerApi({ server: `http://127.0.0.1:${port}`, getToken: async () => 't' });
  await assert.rejects(closed.listSpaces(), NetworkError);

  // A listener that accepts and never answers: the request must still settle.
  const silent = createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  const { port: silentPort } = silent.address() as { port: number };
  const slow = new ServerApi({
    server: `http://127.0.0.1:${silentPort}`,
    getToken: async () => 't',
    timeoutMs: 200,
  });
  await assert.rejects(slow.listSpaces(), { name: 'NetworkError', message: /timed out/ });
  silent.close();
  silent.unref();
});

test('misuse throws naming the argument', async () => {
  assert.throws(() => new ServerApi({ server: 'ftp://x', getToken: async () => '' }), /server/);
  assert.throws(
    () => new ServerApi({ server: 'http://x', getToken: 'x' as unknown as () => Promise<string> }),
    /getToken/,
  );
  const api = apiFor('alice');
  await assert.rejects(api.addMember('bad id', 'bob', 'member'), /spaceId/);
  await assert.rejects(api.addMember('s', 'bob', 'boss' as 'member'), /role/);
  await assert.rejects(api.createSpace({ type: 'office' as 'team' }), /space\.type/);
});
