// The HTTP API (Spaces, members, invites, public keys) and acceptance 4–5: a removed member is
// disconnected within a second and stays out; a viewer's updates go nowhere.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  api,
  mintToken,
  openRoom,
  startTestServer,
  waitFor,
  type TestServer,
} from '../support/server-harness.ts';
import { TestSyncClient } from '../support/sync-test-client.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('server HTTP API and roles', () => {
  let t: TestServer;
  let owner: string;
  let member: string;
  let stranger: string;

  before(async () => {
    t = await startTestServer();
    owner = mintToken(t.secret, 'olga', { name: 'Olga' });
    member = mintToken(t.secret, 'max', { name: 'Max' });
    stranger = mintToken(t.secret, 'sven');
  });
  after(() => t.dispose());

  it('answers health and refuses calls without a token', async () => {
    assert.equal((await api(t.url, undefined, 'GET', '/healthz')).status, 200);
    const response = await api(t.url, undefined, 'GET', '/spaces');
    assert.equal(response.status, 401);
    assert.equal(typeof response.body.error, 'string');
    assert.equal((await api(t.url, owner, 'POST', '/dev/login', { userId: 'x' })).status, 404);
  });

  it('creates a Personal Space once per owner, idempotently', async () => {
    const first = await api(t.url, owner, 'POST', '/spaces', { type: 'personal' });
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, { id: 'personal-olga', type: 'personal', role: 'owner' });
    const again = await api(t.url, owner, 'POST', '/spaces', {
      id: 'personal-olga',
      type: 'personal',
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);

    const squat = await api(t.url, stranger, 'POST', '/spaces', {
      id: 'personal-olga',
      type: 'personal',
    });
    assert.equal(squat.status, 403);
    const disguised = await api(t.url, stranger, 'POST', '/spaces', {
      id: 'personal-zoe',
      type: 'team',
    });
    assert.equal(disguised.status, 400, 'the personal- prefix is reserved');
    const list = await api(t.url, stranger, 'GET', '/spaces');
    assert.deepEqual(list.body, []);
  });

  it('creates shared Spaces and refuses taken ids and bad input', async () => {
    const created = await api(t.url, owner, 'POST', '/spaces', { id: 'fam', type: 'family' });
    assert.equal(created.status, 201);
    assert.equal(
      (await api(t.url, owner, 'POST', '/spaces', { id: 'fam', type: 'family' })).status,
      200,
    );
    assert.equal(
      (await api(t.url, stranger, 'POST', '/spaces', { id: 'fam', type: 'family' })).status,
      409,
    );
    const random = await api(t.url, owner, 'POST', '/spaces', { type: 'club' });
    assert.equal(random.status, 201);
    assert.match(random.body.id, /^[A-Za-z0-9_-]{16,}$/);

    assert.equal((await api(t.url, owner, 'POST', '/spaces', '{not json')).status, 400);
    assert.equal((await api(t.url, owner, 'POST', '/spaces', {})).status, 400);
    assert.equal((await api(t.url, owner, 'POST', '/spaces', { type: 'guild' })).status, 400);
    assert.equal(
      (await api(t.url, owner, 'POST', '/spaces', { id: '../x', type: 'team' })).status,
      400,
    );

    const spaces = await api(t.url, owner, 'GET', '/spaces');
    assert.deepEqual(
      spaces.body.map((space: { id: string }) => space.id).sort(),
      ['fam', 'personal-olga', random.body.id].sort(),
    );
  });

  it('lets only owners and admins manage members', async () => {
    await api(t.url, owner, 'POST', '/spaces', { id: 'team-m', type: 'team' });
    const add = await api(t.url, owner, 'POST', '/spaces/team-m/members', {
      userId: 'max',
      role: 'member',
    });
    assert.equal(add.status, 200);
    assert.equal(
      (
        await api(t.url, member, 'POST', '/spaces/team-m/members', {
          userId: 'sven',
          role: 'member',
        })
      ).status,
      403,
    );
    assert.equal((await api(t.url, stranger, 'GET', '/spaces/team-m/members')).status, 403);
    assert.equal(
      (await api(t.url, owner, 'POST', '/spaces/team-m/members', { userId: 'max', role: 'owner' }))
        .status,
      400,
    );
    assert.equal(
      (await api(t.url, owner, 'POST', '/spaces/team-m/members', { userId: 'max' })).status,
      400,
    );
    assert.equal(
      (
        await api(t.url, owner, 'POST', '/spaces/personal-olga/members', {
          userId: 'max',
          role: 'member',
        })
      ).status,
      403,
    );

    await api(t.url, owner, 'POST', '/spaces/team-m/members', { userId: 'max', role: 'admin' });
    assert.equal(
      (await api(t.url, member, 'DELETE', '/spaces/team-m/members/olga')).status,
      403,
      'nobody removes the owner',
    );
    // Max opened no socket yet, so his name is unknown; Olga's is known from her requests.
    const members = await api(t.url, member, 'GET', '/spaces/team-m/members');
    assert.deepEqual(
      members.body.sort((a: { userId: string }, b: { userId: string }) =>
        a.userId.localeCompare(b.userId),
      ),
      [
        { userId: 'max', role: 'admin' },
        { userId: 'olga', role: 'owner', name: 'Olga' },
      ],
    );
    assert.equal(
      (await api(t.url, member, 'DELETE', '/spaces/team-m/members/max')).status,
      200,
      'a member may leave',
    );
    assert.equal((await api(t.url, member, 'GET', '/spaces/team-m/members')).status, 403);
  });

  it('invites are single use and add the role they name', async () => {
    await api(t.url, owner, 'POST', '/spaces', { id: 'club-i', type: 'club' });
    assert.equal(
      (await api(t.url, stranger, 'POST', '/spaces/club-i/invites', { role: 'member' })).status,
      403,
    );
    assert.equal(
      (await api(t.url, owner, 'POST', '/spaces/club-i/invites', { role: 'owner' })).status,
      400,
    );
    const invite = await api(t.url, owner, 'POST', '/spaces/club-i/invites', { role: 'viewer' });
    assert.equal(invite.status, 201);
    const accepted = await api(t.url, stranger, 'POST', `/invites/${invite.body.code}/accept`);
    assert.deepEqual(accepted.body, { id: 'club-i', type: 'club', role: 'viewer' });
    assert.equal(
      (await api(t.url, member, 'POST', `/invites/${invite.body.code}/accept`)).status,
      404,
    );
    assert.equal((await api(t.url, member, 'POST', '/invites/short/accept')).status, 404);
    const second = await api(t.url, owner, 'POST', '/spaces/club-i/invites', { role: 'member' });
    const self = await api(t.url, owner, 'POST', `/invites/${second.body.code}/accept`);
    assert.equal(self.body.role, 'owner', 'an invite never weakens a role');
  });

  it('stores and serves public keys, validating them', async () => {
    const publicKey = randomBytes(32).toString('base64url');
    assert.equal(
      (await api(t.url, owner, 'PUT', '/users/me/public-key', { publicKey })).status,
      200,
    );
    const read = await api(t.url, stranger, 'GET', '/users/olga/public-key');
    assert.deepEqual(read.body, { userId: 'olga', publicKey });
    assert.equal((await api(t.url, stranger, 'GET', '/users/nobody/public-key')).status, 404);
    const short = randomBytes(31).toString('base64url');
    assert.equal(
      (await api(t.url, owner, 'PUT', '/users/me/public-key', { publicKey: short })).status,
      400,
    );
    assert.equal((await api(t.url, owner, 'PUT', '/users/me/public-key', {})).status, 400);
  });

  it('disconnects a removed member within a second; they cannot reconnect', async () => {
    await api(t.url, owner, 'POST', '/spaces', { id: 'team-r', type: 'team' });
    await api(t.url, owner, 'POST', '/spaces/team-r/members', { userId: 'max', role: 'member' });
    const ownerClient = new TestSyncClient(t, owner, 'space/team-r');
    const memberClient = new TestSyncClient(t, member, 'space/team-r');
    const secondTab = new TestSyncClient(t, member, 'space/team-r');
    assert.ok(await ownerClient.connect());
    assert.ok(await memberClient.connect());
    assert.ok(await secondTab.connect());

    const started = Date.now();
    assert.equal((await api(t.url, owner, 'DELETE', '/spaces/team-r/members/max')).status, 200);
    await waitFor(
      () => memberClient.lastClose !== undefined && secondTab.lastClose !== undefined,
      1000,
      'close',
    );
    assert.ok(Date.now() - started < 1000);
    assert.equal(memberClient.lastClose?.code, 4403);
    assert.equal(secondTab.lastClose?.code, 4403);
    assert.ok(ownerClient.connected, 'the owner stays connected');

    const retry = await openRoom(t, member, 'space/team-r');
    assert.equal((await retry.closed).code, 4403);
    assert.equal(retry.messages.length, 0);
    for (const client of [ownerClient, memberClient, secondTab]) client.destroy();
  });

  it("drops a viewer's updates but keeps the viewer in sync", async () => {
    await api(t.url, owner, 'POST', '/spaces', { id: 'team-v', type: 'team' });
    await api(t.url, owner, 'POST', '/spaces/team-v/members', { userId: 'sven', role: 'viewer' });
    await api(t.url, owner, 'POST', '/spaces/team-v/members', { userId: 'max', role: 'member' });
    const writer = new TestSyncClient(t, owner, 'space/team-v');
    const viewer = new TestSyncClient(t, stranger, 'space/team-v');
    const bystander = new TestSyncClient(t, member, 'space/team-v');
    for (const client of [writer, viewer, bystander]) assert.ok(await client.connect());

    viewer.doc.getMap('m').set('viewer-was-here', true);
    writer.doc.getMap('m').set('from-owner', 1);
    await waitFor(() => viewer.doc.getMap('m').get('from-owner') === 1, 2000, 'viewer sees edits');
    await waitFor(
      () => writer.saved && bystander.doc.getMap('m').get('from-owner') === 1,
      2000,
      'saved',
    );
    await sleep(200);
    assert.equal(bystander.doc.getMap('m').get('viewer-was-here'), undefined, 'not relayed');
    assert.equal(writer.doc.getMap('m').get('viewer-was-here'), undefined, 'not relayed');
    assert.equal(viewer.saved, false, 'a viewer edit is never reported stored');

    // Downgrading a live member to viewer applies at once.
    await api(t.url, owner, 'POST', '/spaces/team-v/members', { userId: 'max', role: 'viewer' });
    bystander.doc.getMap('m').set('after-downgrade', true);
    await sleep(200);
    assert.equal(writer.doc.getMap('m').get('after-downgrade'), undefined);

    for (const client of [writer, viewer, bystander]) client.destroy();
    await waitFor(() => t.server.roomCount === 0, 3000, 'room unloads');
    const fresh = new TestSyncClient(t, owner, 'space/team-v');
    assert.ok(await fresh.connect());
    await waitFor(() => fresh.doc.getMap('m').get('from-owner') === 1, 2000, 'stored state');
    assert.equal(fresh.doc.getMap('m').get('viewer-was-here'), undefined, 'not stored');
    assert.equal(fresh.doc.getMap('m').get('after-downgrade'), undefined, 'not stored');
    fresh.destroy();
  });
});
