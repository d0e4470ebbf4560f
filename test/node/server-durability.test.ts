// Acceptance 8 and 10: what a client saw as "saved on the server" survives SIGKILL; offline
// edits merge on reconnect; three clients under network chaos converge with the stored state.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import {
  api,
  freshDataDir,
  mintToken,
  spawnServer,
  startTestServer,
  waitFor,
} from '../support/server-harness.ts';
import { prng } from '../support/prng.ts';
import { TestSyncClient } from '../support/sync-test-client.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return (
    Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b))) &&
    a.getText('t').toString() === b.getText('t').toString() &&
    // Key order of a Y.Map follows local insertion, so compare sorted entries.
    JSON.stringify([...a.getMap('m').entries()].sort()) ===
      JSON.stringify([...b.getMap('m').entries()].sort())
  );
}

describe('server durability and convergence', () => {
  it('keeps an edit reported as stored when the server is killed right after', async () => {
    const dataDir = freshDataDir();
    const first = await spawnServer({ dataDir });
    const token = mintToken(first.secret, 'dora');
    await api(first.url, token, 'POST', '/spaces', { id: 'durable', type: 'team' });
    const client = new TestSyncClient(first, token, 'space/durable');
    try {
      assert.ok(await client.connect());
      for (let index = 0; index < 50; index++) client.doc.getText('t').insert(0, `${index},`);
      client.doc.getMap('m').set('last', 'edit');
      await waitFor(() => client.saved, 5000, 'saved on the server');
      first.child.kill('SIGKILL');
      await first.exited;
      client.destroy();

      const second = await spawnServer({ dataDir, secret: first.secret });
      const reader = new TestSyncClient(second, token, 'space/durable');
      try {
        assert.ok(await reader.connect());
        await waitFor(() => reader.doc.getMap('m').get('last') === 'edit', 5000, 'stored edit');
        assert.equal(reader.doc.getText('t').toString(), client.doc.getText('t').toString());
      } finally {
        reader.destroy();
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('merges a client that edited offline for a while', async () => {
    const t = await startTestServer();
    const token = mintToken(t.secret, 'otto');
    await api(t.url, token, 'POST', '/spaces', { id: 'offline', type: 'family' });
    const laptop = new TestSyncClient(t, token, 'space/offline');
    const phone = new TestSyncClient(t, token, 'space/offline');
    try {
      assert.ok(await laptop.connect());
      assert.ok(await phone.connect());
      laptop.doc.getText('t').insert(0, 'shared start. ');
      await waitFor(() => phone.doc.getText('t').length > 0, 2000, 'initial sync');

      await laptop.disconnect();
      for (let index = 0; index < 20; index++) {
        laptop.doc.getText('t').insert(laptop.doc.getText('t').length, `L${index} `);
        phone.doc.getText('t').insert(0, `P${index} `);
        laptop.doc.getMap('m').set(`laptop-${index}`, index);
        await tick();
      }
      assert.ok(!laptop.saved, 'offline edits are not stored yet');
      assert.ok(await laptop.connect());
      await waitFor(
        () => sameState(laptop.doc, phone.doc) && laptop.saved && phone.saved,
        5000,
        'convergence',
      );
      assert.match(laptop.doc.getText('t').toString(), /L19/);
      assert.match(laptop.doc.getText('t').toString(), /P19/);
    } finally {
      laptop.destroy();
      phone.destroy();
      await t.dispose();
    }
  });

  it('three clients under random chaos over 1,000 operations converge with the store', async () => {
    const dataDir = freshDataDir();
    let t = await startTestServer({ data: dataDir, messageBurst: 2000, messagesPerSecond: 2000 });
    const secret = t.secret;
    const token = mintToken(secret, 'cara');
    await api(t.url, token, 'POST', '/spaces', { id: 'chaos', type: 'team' });
    const random = prng(2024);
    const reconnects: Array<ReturnType<typeof setTimeout>> = [];
    const clients = [0, 1, 2].map(() => new TestSyncClient(t, token, 'space/chaos'));
    try {
      for (const client of clients) {
        client.chaos = { random, drop: 0.05, maxDelayMs: 15 };
        assert.ok(await client.connect());
      }
      for (let op = 0; op < 1000; op++) {
        const client = clients[Math.floor(random() * clients.length)]!;
        const text = client.doc.getText('t');
        const choice = random();
        if (choice < 0.5) text.insert(Math.floor(random() * (text.length + 1)), `${op};`);
        else if (choice < 0.7 && text.length > 0) {
          const index = Math.floor(random() * text.length);
          text.delete(index, Math.min(3, text.length - index));
        } else client.doc.getMap('m').set(`k${Math.floor(random() * 20)}`, op);

        if (random() < 0.01) {
          // A disconnect, and a reconnect some operations later.
          await client.disconnect();
          reconnects.push(setTimeout(() => void client.connect(), Math.floor(random() * 50)));
        }
        if (op % 5 === 0) await tick();
      }

      // Heal the network: no chaos, everyone reconnects and syncs.
      reconnects.forEach(clearTimeout);
      for (const client of clients) {
        client.chaos = undefined;
        await client.disconnect();
      }
      for (const client of clients) assert.ok(await client.connect());
      await waitFor(
        () =>
          sameState(clients[0]!.doc, clients[1]!.doc) &&
          sameState(clients[1]!.doc, clients[2]!.doc) &&
          clients.every((client) => client.saved),
        10_000,
        'replicas converge and are stored',
      );
      for (const client of clients) await client.disconnect();

      // The stored document, read back after a restart, equals the replicas.
      await t.server.close();
      t = await startTestServer({ data: dataDir, jwtSecret: secret });
      const reader = new TestSyncClient(t, token, 'space/chaos');
      assert.ok(await reader.connect());
      await waitFor(() => sameState(reader.doc, clients[0]!.doc), 5000, 'stored state');
      reader.destroy();
    } finally {
      for (const client of clients) client.destroy();
      await t.dispose();
    }
  });
});
