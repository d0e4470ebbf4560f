import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { createSpaceKit } from '../../src/kit.ts';
import type { Kit } from '../../src/kit.ts';
import { DEFAULT_AGENT_ID } from '../../src/model/defaults.ts';
import { personalSpaceId } from '../../src/model/space.ts';
import type { AttachedDoc, DocAttachment, DocRef } from '../../src/sync/attachment.ts';
import { cleanUpKits, startServer, until } from './kit-server-fixtures.ts';
import type { StartedServer } from './kit-server-fixtures.ts';
import { cleanUp, forgetStorage, freshPrefix, startKit, testMasterKey } from './store-fixtures.ts';

/**
 * A remote source for Space docs: `whenRemoteSynced` delivers `update` after `delayMs` (never,
 * when undefined, until the attachment is destroyed), as a server's first sync would.
 */
function remoteSource(update: Uint8Array | undefined, delayMs = 30): DocAttachment {
  return {
    attach(doc: Y.Doc, ref: DocRef): AttachedDoc {
      if (ref.kind !== 'space') return { whenLoaded: Promise.resolve(), destroy: async () => {} };
      let release = () => {};
      const synced = new Promise<void>((resolve) => {
        release = resolve;
        if (update === undefined) return;
        setTimeout(() => {
          Y.applyUpdate(doc, update, 'remote');
          resolve();
        }, delayMs);
      });
      return {
        whenLoaded: Promise.resolve(),
        whenRemoteSynced: () => synced,
        destroy: async () => release(),
      };
    },
  };
}

/**
 * What another device wrote to the Personal Space: the default agent, renamed. Client id 0
 * loses every concurrent Y.Map conflict, so a bootstrap that did not wait would win for sure.
 */
function renamedElsewhere(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 0;
  doc.transact(() => {
    const meta = doc.getMap<unknown>('meta');
    meta.set('id', 'meta');
    meta.set('createdAt', 1);
    meta.set('type', 'personal');
    meta.set('schemaVersion', 1);
    const agent = new Y.Map<unknown>();
    doc.getMap('agents').set(DEFAULT_AGENT_ID, agent);
    for (const [key, value] of Object.entries({ id: DEFAULT_AGENT_ID, createdAt: 1 })) {
      agent.set(key, value);
    }
    agent.set('updatedAt', 2);
    agent.set('name', 'Ava');
    agent.set('role', 'assistant');
    agent.set('kind', 'default');
  });
  return Y.encodeStateAsUpdate(doc);
}

function defaultAgents(kit: { activeSpace: { agents: { list(): { kind: string }[] } } }) {
  return kit.activeSpace.agents.list().filter((agent) => agent.kind === 'default');
}

describe('store: the first open of a Space this device never had', () => {
  afterEach(cleanUp);

  it('waits for the remote source before bootstrapping an empty Space', async () => {
    const kit = await startKit({
      storagePrefix: freshPrefix(),
      attachments: [remoteSource(renamedElsewhere())],
    });
    expect(defaultAgents(kit).map((agent) => (agent as { name?: unknown }).name)).to.deep.equal([
      'Ava',
    ]);
    expect(kit.activeSpace.scenes.list()).to.have.length(1);
  });

  it('bootstraps anyway once the wait times out, and never waits with local data', async () => {
    const storagePrefix = freshPrefix();
    const started = Date.now();
    const kit = await startKit({
      storagePrefix,
      attachments: [remoteSource(undefined)],
      firstSyncTimeoutMs: 150,
    });
    expect(Date.now() - started).to.be.at.least(150);
    expect(defaultAgents(kit)).to.have.length(1);

    // A Space made here has no copy elsewhere: creating it does not wait.
    const before = Date.now();
    await kit.spaces.create({ name: 'Club', type: 'club' });
    expect(Date.now() - before).to.be.below(150);
    await kit.whenSavedOnDevice();
    await kit.destroy();

    // The next start has local data: no wait even with an hour's bound.
    const again = Date.now();
    const second = await startKit({
      storagePrefix,
      attachments: [remoteSource(undefined)],
      firstSyncTimeoutMs: 3_600_000,
    });
    expect(Date.now() - again).to.be.below(1000);
    expect(defaultAgents(second)).to.have.length(1);
  });
});

describe('store: a second device opens a Space renamed on the first (real server)', () => {
  let server: StartedServer;
  const prefixes: string[] = [];
  const kits: Kit[] = [];

  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((kit) => kit.destroy()));
    await cleanUpKits();
    await forgetStorage(prefixes.splice(0));
  });

  async function device(userId: string): Promise<Kit> {
    const response = await fetch(`${server.url}/dev/login`, {
      method: 'POST',
      body: JSON.stringify({ userId, name: 'Ada' }),
    });
    const { token } = (await response.json()) as { token: string };
    const storagePrefix = `first-sync-${crypto.randomUUID()}`;
    prefixes.push(storagePrefix);
    const kit = await createSpaceKit({
      user: { id: userId, name: 'Ada' },
      server: server.url,
      getToken: () => Promise.resolve(token),
      storagePrefix,
      masterKey: testMasterKey,
    });
    kits.push(kit);
    return kit;
  }

  it('device B (fresh storage) sees the renamed default agent, and only one', async () => {
    const userId = `ada-${crypto.randomUUID().slice(0, 8)}`;
    const spaceId = personalSpaceId(userId);
    const a = await device(userId);
    a.activeSpace.agents.update(DEFAULT_AGENT_ID, { name: 'Ava' });
    const status = a.sync?.statusOf(spaceId);
    await until(() => status?.current.connection === 'synced', 'device A synced');
    await status?.whenSavedOnServer();
    await a.destroy();

    const b = await device(userId);
    expect(b.activeSpace.id).to.equal(spaceId);
    expect(defaultAgents(b).map((agent) => (agent as { name?: unknown }).name)).to.deep.equal([
      'Ava',
    ]);
    expect(b.activeSpace.scenes.list()).to.have.length(1);
    // B bootstrapped nothing of its own: its client id wrote no agent.
    const doc = b.internals.spaceDoc(spaceId) as Y.Doc;
    const agentsWriters = new Set<number>();
    doc.getMap('agents').forEach((_value, key) => {
      const item = (doc.getMap('agents') as unknown as { _map: Map<string, Y.Item> })._map.get(key);
      if (item) agentsWriters.add(item.id.client);
    });
    expect(agentsWriters.has(doc.clientID)).to.equal(false);
  });
});
