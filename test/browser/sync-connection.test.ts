// The server attachment in Chromium: real WebSockets to a real server (started by the test-runner
// plugin), real IndexedDB beside it, the browser's offline/online events, and a server crash.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import * as Y from 'yjs';
import type { AttachedDoc } from '../../src/sync/attachment.ts';
import { ServerAttachment } from '../../src/sync/connection.ts';
import type { ServerConnection } from '../../src/sync/connection.ts';
import { IndexeddbAttachment } from '../../src/sync/persistence.ts';
import { ServerApi } from '../../src/sync/server-api.ts';

interface Started {
  url: string;
  id: string;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('server attachment in the browser', () => {
  let server: Started;
  const held: AttachedDoc[] = [];

  beforeEach(async () => {
    server = await executeServerCommand<Started, { action: string }>('sync-server', {
      action: 'start',
    });
  });

  afterEach(async () => {
    await Promise.all(held.splice(0).map((attached) => attached.destroy()));
    await executeServerCommand('sync-server', { action: 'stop', id: server.id });
  });

  async function apiFor(userId: string): Promise<ServerApi> {
    const response = await fetch(`${server.url}/dev/login`, {
      method: 'POST',
      body: JSON.stringify({ userId, name: userId }),
    });
    const { token } = (await response.json()) as { token: string };
    return new ServerApi({ server: server.url, getToken: async () => token });
  }

  /** A document of `userId` persisted in a fresh IndexedDB and connected to the server. */
  function open(api: ServerApi, userId: string, spaceId: string) {
    const doc = new Y.Doc();
    const prefix = `sync-test-${crypto.randomUUID()}`;
    held.push(new IndexeddbAttachment(prefix, userId).attach(doc, { kind: 'space', id: spaceId }));
    const attachment = new ServerAttachment({
      api,
      user: { id: userId, name: userId },
      backoff: { baseMs: 50, maxMs: 400, jitter: 0.5 },
    });
    const connection: ServerConnection = attachment.attach(doc, { kind: 'space', id: spaceId });
    held.push(connection);
    return { doc, connection, tags: doc.getMap<string>('tags') };
  }

  async function sharedSpace(spaceId: string) {
    const [alice, bob] = await Promise.all([apiFor('alice'), apiFor('bob')]);
    await alice.createSpace({ id: spaceId, type: 'family' });
    await alice.addMember(spaceId, 'bob', 'member');
    return { alice, bob };
  }

  it("goes offline on the browser's offline event and converges after online", async () => {
    const apis = await sharedSpace('family-events');
    const alice = open(apis.alice, 'alice', 'family-events');
    const bob = open(apis.bob, 'bob', 'family-events');
    await Promise.all([alice.connection.status.whenSynced(), bob.connection.status.whenSynced()]);

    window.dispatchEvent(new Event('offline'));
    expect(alice.connection.status.current.connection).to.equal('offline');
    expect(bob.connection.status.current.connection).to.equal('offline');
    alice.tags.set('a', 'written offline by alice');
    bob.tags.set('b', 'written offline by bob');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bob.tags.get('a'), 'no reconnect while offline').to.equal(undefined);
    expect(alice.connection.status.current.connection).to.equal('offline');

    window.dispatchEvent(new Event('online'));
    await Promise.all([
      alice.connection.status.whenSavedOnServer(),
      bob.connection.status.whenSavedOnServer(),
    ]);
    await until(() => alice.tags.size === 2 && bob.tags.size === 2, 'both edits on both sides');
    expect(alice.tags.toJSON()).to.deep.equal(bob.tags.toJSON());
  });

  it('rides out a server crash: offline edits converge once it is back', async () => {
    const apis = await sharedSpace('family-crash');
    const alice = open(apis.alice, 'alice', 'family-crash');
    const bob = open(apis.bob, 'bob', 'family-crash');
    await Promise.all([alice.connection.status.whenSynced(), bob.connection.status.whenSynced()]);
    alice.tags.set('shared', 'v1');
    await alice.connection.status.whenSavedOnServer();

    await executeServerCommand('sync-server', { action: 'kill', id: server.id });
    await until(
      () => alice.connection.status.current.connection !== 'synced',
      'alice notices the crash',
    );
    alice.tags.set('shared', 'v2 by alice');
    bob.tags.set('bobs', 'from bob');
    await executeServerCommand('sync-server', { action: 'restart', id: server.id });

    await until(
      () => alice.tags.get('bobs') === 'from bob' && bob.tags.get('shared') === 'v2 by alice',
      'convergence after the restart',
      10_000,
    );
    await alice.connection.status.whenSavedOnServer();
    expect(alice.connection.status.current.connection).to.equal('synced');
  });

  it('shares changes across tabs of one user, never with another user on the page', async () => {
    const apis = await sharedSpace('family-tabs');
    const aliceTab1 = open(apis.alice, 'alice', 'family-tabs');
    const aliceTab2 = open(apis.alice, 'alice', 'family-tabs');
    const bob = open(apis.bob, 'bob', 'family-tabs');
    // Offline: the server cannot carry anything, so only BroadcastChannel could.
    window.dispatchEvent(new Event('offline'));
    aliceTab1.tags.set('t', 'from tab 1');
    await until(() => aliceTab2.tags.get('t') === 'from tab 1', 'the other tab of alice');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bob.tags.get('t')).to.equal(undefined);
    window.dispatchEvent(new Event('online'));
    await until(() => bob.tags.get('t') === 'from tab 1', 'bob gets it through the server');
  });
});
