// Acceptance 6–7: oversized, random, truncated and empty frames, floods, connection limits and
// hundreds of unknown rooms, against a server in a child process whose memory /metrics reports.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  api,
  mintToken,
  openRoom,
  readMetric,
  spawnServer,
  startTestServer,
  waitFor,
  type ChildServer,
} from '../support/server-harness.ts';
import { prng } from '../support/prng.ts';
import { TestSyncClient } from '../support/sync-test-client.ts';

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

const mib = 1024 * 1024;

describe('server limits and hostile input', () => {
  let child: ChildServer;
  let token: string;
  let watcher: TestSyncClient;
  let writer: TestSyncClient;

  before(async () => {
    child = await spawnServer();
    token = mintToken(child.secret, 'mallory');
    await api(child.url, token, 'POST', '/spaces', { id: 'target', type: 'team' });
    const honest = mintToken(child.secret, 'hana');
    await api(child.url, honest, 'POST', '/spaces', { id: 'honest', type: 'team' });
    watcher = new TestSyncClient(child, honest, 'space/honest');
    writer = new TestSyncClient(child, honest, 'space/honest');
    assert.ok(await watcher.connect());
    assert.ok(await writer.connect());
  });

  after(async () => {
    watcher.destroy();
    writer.destroy();
    child.child.kill('SIGTERM');
    assert.equal(await child.exited, 0, 'SIGTERM exits cleanly');
    rmSync(child.dataDir, { recursive: true, force: true });
  });

  async function keepsServing(): Promise<void> {
    const value = Math.random();
    writer.doc.getMap('m').set('probe', value);
    await waitFor(() => watcher.doc.getMap('m').get('probe') === value, 3000, 'relay');
    await waitFor(() => writer.saved, 3000, 'stored');
    assert.equal((await api(child.url, undefined, 'GET', '/healthz')).status, 200);
  }

  it('closes a 5 MiB frame with 1009, and memory stays bounded', async () => {
    const rssBefore = await readMetric(child.url, 'process_resident_memory_bytes');
    for (let round = 0; round < 5; round++) {
      const socket = await openRoom(child, token, 'space/target');
      assert.ok(await socket.opened);
      socket.ws.send(new Uint8Array(5 * mib));
      assert.equal((await socket.closed).code, 1009);
    }
    await keepsServing();
    const rssAfter = await readMetric(child.url, 'process_resident_memory_bytes');
    assert.ok(rssAfter - rssBefore < 100 * mib, `RSS grew by ${(rssAfter - rssBefore) / mib} MiB`);
    assert.ok(
      (await readMetric(child.url, 'space_kit_refusals_total{reason="frame-too-large"}')) >= 5,
    );
  });

  it('closes empty, text, truncated and random frames with 4400', async () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hello world, a real update to cut short');
    const update = Y.encodeStateAsUpdate(doc);
    const valid = syncUpdateFrame(update);
    const random = prng(7);
    const frames: Array<Uint8Array | string> = [
      new Uint8Array(0),
      'a text frame',
      valid.subarray(0, valid.length - 5),
      syncUpdateFrame(update.subarray(0, update.length - 3)),
      new Uint8Array([0, 0]),
      new Uint8Array([1, 5, 1, 2, 3]),
      new Uint8Array([0, 7, 0]),
      new Uint8Array([100, 0]),
      new Uint8Array([...valid, 0]),
    ];
    for (let index = 0; index < 40; index++) {
      const length = 1 + Math.floor(random() * 200);
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      // Half look like a sync update, so the Yjs decoder itself sees garbage.
      frames.push(index % 2 === 0 ? bytes : syncUpdateFrame(bytes));
    }
    for (const frame of frames) {
      const socket = await openRoom(child, token, 'space/target');
      assert.ok(await socket.opened);
      socket.ws.send(frame);
      const closed = await Promise.race([
        socket.closed,
        new Promise<undefined>((resolve) => setTimeout(resolve, 1500)),
      ]);
      // A random frame may happen to be valid; then the connection must simply stay usable.
      if (closed === undefined) socket.ws.close();
      else
        assert.equal(closed.code, 4400, `frame ${Buffer.from(frame).toString('hex').slice(0, 40)}`);
    }
    await keepsServing();
  });

  it('rate-limits a flood and then closes it with 4429', async () => {
    const socket = await openRoom(child, token, 'space/target');
    assert.ok(await socket.opened);
    const query = new Uint8Array([3]);
    for (let index = 0; index < 2000 && socket.ws.readyState === socket.ws.OPEN; index++) {
      socket.ws.send(query);
    }
    assert.equal((await socket.closed).code, 4429);
    await keepsServing();
  });

  it('200 connections to distinct unknown Spaces create no rooms and no growth', async () => {
    const roomsBefore = await readMetric(child.url, 'space_kit_rooms');
    const rssBefore = await readMetric(child.url, 'process_resident_memory_bytes');
    for (let batch = 0; batch < 10; batch++) {
      const codes = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          const socket = await openRoom(child, token, `space/unknown-${batch}-${index}`);
          const closed = await socket.closed;
          assert.equal(socket.messages.length, 0);
          return closed.code;
        }),
      );
      assert.ok(codes.every((code) => code === 4403));
    }
    assert.equal(await readMetric(child.url, 'space_kit_rooms'), roomsBefore);
    const rssAfter = await readMetric(child.url, 'process_resident_memory_bytes');
    assert.ok(rssAfter - rssBefore < 50 * mib, `RSS grew by ${(rssAfter - rssBefore) / mib} MiB`);
    assert.ok(
      (await readMetric(child.url, 'space_kit_refusals_total{reason="unknown-space"}')) >= 200,
    );
    await keepsServing();
  });

  it('refuses connections beyond the per-user limit with 4429', async () => {
    const t = await startTestServer({ maxConnectionsPerUser: 3 });
    try {
      const user = mintToken(t.secret, 'una');
      const open = [];
      for (let index = 0; index < 3; index++) {
        const socket = await openRoom(t, user, 'user/una');
        assert.ok(await socket.opened);
        open.push(socket);
      }
      const extra = await openRoom(t, user, 'user/una');
      assert.equal((await extra.closed).code, 4429);
      assert.equal(extra.messages.length, 0);
      open[0]!.ws.close();
      await open[0]!.closed;
      await waitFor(() => t.server.connectionCount === 2, 2000, 'the slot frees');
      const again = await openRoom(t, user, 'user/una');
      assert.ok(await again.opened);
      for (const socket of [...open, again]) socket.ws.close();
    } finally {
      await t.dispose();
    }
  });
});
