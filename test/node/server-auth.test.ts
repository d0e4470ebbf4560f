// Acceptance 1–3: tickets, JWTs, room access and path tricks against a real server on loopback.
// "Refused" means closed before a single document or presence byte, while others carry on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseRoomUrl } from '../../src/server/room-path.ts';
import { signJwt, verifyJwt } from '../../src/server/jwt.ts';
import { LevelDirectoryStore } from '../../src/server/leveldb-store.ts';
import {
  api,
  freshDataDir,
  getTicket,
  mintToken,
  openRoom,
  openSocket,
  rawUpgrade,
  startTestServer,
  waitFor,
  type RecordedSocket,
  type TestServer,
} from '../support/server-harness.ts';
import { TestSyncClient } from '../support/sync-test-client.ts';

async function assertRefused(socket: RecordedSocket, code: number): Promise<void> {
  const closed = await socket.closed;
  assert.equal(closed.code, code);
  assert.equal(socket.messages.length, 0, 'no byte of document or presence before the close');
}

describe('server auth and access', () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  // A live pair in a shared Space proves that refusals leave other clients alone.
  let watcher: TestSyncClient;
  let writer: TestSyncClient;

  before(async () => {
    t = await startTestServer();
    alice = mintToken(t.secret, 'alice');
    bob = mintToken(t.secret, 'bob');
    assert.equal(
      (await api(t.url, alice, 'POST', '/spaces', { id: 'team-a', type: 'team' })).status,
      201,
    );
    assert.equal(
      (await api(t.url, bob, 'POST', '/spaces', { id: 'team-b', type: 'team' })).status,
      201,
    );
    watcher = new TestSyncClient(t, alice, 'space/team-a');
    writer = new TestSyncClient(t, alice, 'space/team-a');
    assert.ok(await watcher.connect());
    assert.ok(await writer.connect());
  });

  after(async () => {
    watcher.destroy();
    writer.destroy();
    await t.dispose();
  });

  async function othersCarryOn(): Promise<void> {
    const text = `still here ${Math.random()}`;
    writer.doc.getMap('m').set('probe', text);
    await waitFor(() => watcher.doc.getMap('m').get('probe') === text, 3000, 'relay');
  }

  it('refuses a connection without a ticket', async () => {
    await assertRefused(openSocket(`${t.wsUrl}/space/team-a`), 4401);
    await othersCarryOn();
  });

  it('refuses a reused ticket and keeps the first connection', async () => {
    const ticket = await getTicket(t.url, alice);
    const first = openSocket(`${t.wsUrl}/space/team-a?ticket=${ticket}`);
    assert.ok(await first.opened);
    await assertRefused(openSocket(`${t.wsUrl}/space/team-a?ticket=${ticket}`), 4401);
    await waitFor(() => first.messages.length > 0, 2000, 'sync on the first connection');
    first.ws.close();
    await othersCarryOn();
  });

  it('refuses an expired ticket', async () => {
    const short = await startTestServer({ ticketTtlMs: 30 });
    try {
      const token = mintToken(short.secret, 'alice');
      const ticket = await getTicket(short.url, token);
      await new Promise((resolve) => setTimeout(resolve, 80));
      await assertRefused(openSocket(`${short.wsUrl}/user/alice?ticket=${ticket}`), 4401);
      // A fresh ticket works, so the refusal was the expiry.
      const fresh = await openRoom(short, token, 'user/alice');
      assert.ok(await fresh.opened);
      fresh.ws.close();
    } finally {
      await short.dispose();
    }
  });

  it('refuses an invented ticket', async () => {
    await assertRefused(openSocket(`${t.wsUrl}/user/alice?ticket=${'A'.repeat(43)}`), 4401);
  });

  it('refuses JWTs without exp, expired, wrongly signed or alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = (alg: string) =>
      Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'alice', name: 'A', exp: now + 600 })).toString(
      'base64url',
    );
    const valid = mintToken(t.secret, 'alice');
    const tokens = {
      missing: undefined,
      noExp: mintToken(t.secret, 'alice', { exp: null }),
      expired: mintToken(t.secret, 'alice', { exp: now - 3600 }),
      wrongSecret: mintToken('another secret of enough length', 'alice'),
      algNone: `${header('none')}.${body}.`,
      algNoneSigned: `${header('none')}.${body}.${valid.split('.')[2]}`,
      hs512Header: `${header('HS512')}.${body}.${valid.split('.')[2]}`,
      tamperedPayload: `${valid.split('.')[0]}.${body}.${valid.split('.')[2]}`,
      garbage: 'not.a.token',
    };
    for (const [name, token] of Object.entries(tokens)) {
      const response = await api(t.url, token, 'POST', '/tickets');
      assert.equal(response.status, 401, name);
      assert.equal(typeof response.body.error, 'string', name);
      assert.equal((await api(t.url, token, 'GET', '/spaces')).status, 401, name);
    }
    assert.equal((await api(t.url, valid, 'POST', '/tickets')).status, 200);
    await othersCarryOn();
  });

  it('verifies exp with a small clock skew only', () => {
    const secret = 'a secret of sufficient length';
    const now = 1_000_000;
    assert.ok(verifyJwt(secret, signJwt(secret, { sub: 'u', exp: now - 10 }), now, 30));
    assert.equal(
      verifyJwt(secret, signJwt(secret, { sub: 'u', exp: now - 31 }), now, 30),
      undefined,
    );
    assert.equal(
      verifyJwt(secret, signJwt(secret, { sub: '../x', exp: now + 60 }), now, 30),
      undefined,
    );
    assert.equal(
      verifyJwt(secret, signJwt(secret, { sub: 'u', exp: '9999999999' }), now, 30),
      undefined,
    );
  });

  it("refuses a non-member, another user's user doc and an unknown Space", async () => {
    await assertRefused(await openRoom(t, bob, 'space/team-a'), 4403);
    await assertRefused(await openRoom(t, bob, 'user/alice'), 4403);
    await assertRefused(await openRoom(t, alice, 'space/no-such-space'), 4403);
    await assertRefused(await openRoom(t, bob, `space/personal-alice`), 4403);
    const own = await openRoom(t, bob, 'user/bob');
    assert.ok(await own.opened);
    own.ws.close();
    await othersCarryOn();
    // Only team-a stays loaded: refusals create no room, and bob's closed user room unloads.
    await waitFor(() => t.server.roomCount === 1, 3000, 'only the live room');
  });

  it('fails closed when membership cannot be checked', async () => {
    const dataDir = freshDataDir();
    const directory = new LevelDirectoryStore(dataDir);
    let broken = false;
    const getRole = directory.getRole.bind(directory);
    directory.getRole = async (spaceId, userId) => {
      if (broken) throw new Error('disk on fire');
      return getRole(spaceId, userId);
    };
    const failing = await startTestServer({ data: dataDir, directory });
    try {
      const token = mintToken(failing.secret, 'carol');
      await api(failing.url, token, 'POST', '/spaces', { id: 'club-c', type: 'club' });
      broken = true;
      await assertRefused(await openRoom(failing, token, 'space/club-c'), 1011);
      assert.equal((await api(failing.url, token, 'GET', '/spaces/club-c/members')).status, 503);
      broken = false;
      const socket = await openRoom(failing, token, 'space/club-c');
      assert.ok(await socket.opened);
      socket.ws.close();
    } finally {
      await failing.dispose();
    }
  });

  it('refuses path tricks before any byte, even with a valid ticket', async () => {
    const tricks = [
      (ticket: string) => `/space/team-b/../team-a?ticket=${ticket}`,
      (ticket: string) => `//space/team-a?ticket=${ticket}`,
      (ticket: string) => `/space/%74eam-a?ticket=${ticket}`,
      (ticket: string) => `/space/team-a/?ticket=${ticket}`,
      (ticket: string) => `/space/team-a%2F?ticket=${ticket}`,
      (ticket: string) => `/space/team-a?ticket=${ticket}&ticket=${ticket}`,
      (ticket: string) => `/space/team-a?ticket=${ticket}&x=1`,
      (ticket: string) => `/SPACE/team-a?ticket=${ticket}`,
      (ticket: string) => `/space/./team-a?ticket=${ticket}`,
      (ticket: string) => `/space/team-a;x?ticket=${ticket}`,
      (ticket: string) => `/space/ｔeam-a?ticket=${ticket}`,
      (ticket: string) => `/space/team\u0430?ticket=${ticket}`,
      (ticket: string) => `/space\\team-a?ticket=${ticket}`,
    ];
    for (const trick of tricks) {
      const path = trick(await getTicket(t.url, alice));
      const result = await rawUpgrade(t.server.port, path);
      assert.equal(result.dataFrames, 0, path);
      // Either the HTTP parser rejects the request line, or the server closes with 4400.
      assert.ok(
        result.status === 400 || result.closeCode === 4400,
        `${path}: ${JSON.stringify(result)}`,
      );
    }
    const straight = await rawUpgrade(
      t.server.port,
      `/space/team-a?ticket=${await getTicket(t.url, bob)}`,
    );
    assert.equal(straight.closeCode, 4403, 'bob is refused the plain path too');
    await othersCarryOn();
  });

  it('a normalised path opens exactly the room it names', async () => {
    // A URL parser turns /space/team-a/../team-b into /space/team-b: bob gets his own Space.
    const bobInB = new TestSyncClient(t, bob, 'space/team-b');
    await bobInB.connect();
    bobInB.doc.getMap('m').set('owner', 'bob');
    await waitFor(() => bobInB.saved, 3000, 'saved');
    bobInB.destroy();

    const tricked = new TestSyncClient(t, bob, 'space/team-a/../team-b');
    assert.ok(await tricked.connect());
    await waitFor(() => tricked.doc.getMap('m').get('owner') === 'bob', 3000, 'team-b content');
    assert.equal(tricked.doc.getMap('m').get('probe'), undefined, 'nothing of team-a');
    tricked.destroy();
  });

  it('parses only the exact room shape (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(
            /^\/(space|user)\/[A-Za-z0-9_.%/-]{0,12}(\?ticket=[A-Za-z0-9_%&=-]{0,8})?$/,
          ),
        ),
        (url) => {
          const parsed = parseRoomUrl(url);
          if ('refusal' in parsed) return;
          const rebuilt =
            `/${parsed.kind}/${parsed.id}` +
            (parsed.ticket === undefined ? '' : `?ticket=${parsed.ticket}`);
          assert.equal(rebuilt, url);
          assert.equal(parsed.room, `${parsed.kind}/${parsed.id}`);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
