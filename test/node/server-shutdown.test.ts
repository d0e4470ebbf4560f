// Graceful shutdown: SIGTERM stores the updates the server has received but not
// yet written, and exits 0. The room unloading after its last client left is shown in
// server-members.test.ts ('room unloads', then a fresh client reads the stored state).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as Y from 'yjs';
import { api, freshDataDir, mintToken, spawnServer, waitFor } from '../support/server-harness.ts';
import { TestSyncClient } from '../support/sync-test-client.ts';

// Every edit is its own transaction, so its own WebSocket message, as a typing user produces.
const burst = 400;
// The default rate limit would close the burst with 4429 long before SIGTERM.
const generousLimits = ['--messages-per-second', '5000', '--message-burst', '5000'];

/** Resolves once every frame the client sent so far has been handed to the kernel. */
function sendsFlushed(client: TestSyncClient): Promise<void> {
  return new Promise((resolve, reject) => {
    // A queryAwareness frame (type 3): harmless, and ws writes frames in order.
    client.ws!.send(Uint8Array.of(3), (error) => (error ? reject(error) : resolve()));
  });
}

describe('server graceful shutdown', () => {
  it('stores updates still waiting to be written when SIGTERM arrives mid-burst', async () => {
    const dataDir = freshDataDir();
    const first = await spawnServer({ dataDir, args: generousLimits });
    const token = mintToken(first.secret, 'sami');
    await api(first.url, token, 'POST', '/spaces', { id: 'shutdown', type: 'team' });
    const writer = new TestSyncClient(first, token, 'space/shutdown');
    try {
      assert.ok(await writer.connect());
      // The room is loaded and synced before the burst, so the burst is all that is pending.
      writer.doc.getMap('m').set('before', true);
      await waitFor(() => writer.saved, 3000, 'first edit saved');

      const text = writer.doc.getText('t');
      for (let index = 0; index < burst; index++) text.insert(text.length, `${index};`);
      writer.doc.getMap('m').set('last', 'edit');
      await sendsFlushed(writer);
      // The window is real: the `stored` for the last edit needs a read, a tick and a disk
      // write on the server, so it has not reached the client when the send completes.
      assert.equal(writer.saved, false, 'the burst is not yet reported stored');
      first.child.kill('SIGTERM');

      assert.equal(await first.exited, 0, 'SIGTERM exits cleanly');
      assert.deepEqual(
        first.log.filter((line) => /store-error|room-error/.test(line)),
        [],
        'no failed writes',
      );
      await waitFor(() => writer.lastClose !== undefined, 2000, 'socket closed');
      assert.equal(writer.lastClose!.code, 1001, 'clients hear "going away"');

      const second = await spawnServer({ dataDir, secret: first.secret });
      const reader = new TestSyncClient(second, token, 'space/shutdown');
      try {
        assert.ok(await reader.connect());
        await waitFor(() => reader.doc.getMap('m').get('last') === 'edit', 3000, 'stored burst');
        assert.equal(reader.doc.getText('t').toString(), text.toString());
        assert.deepEqual(
          Y.decodeStateVector(Y.encodeStateVector(reader.doc)),
          Y.decodeStateVector(Y.encodeStateVector(writer.doc)),
          'every update was stored',
        );
      } finally {
        reader.destroy();
        second.child.kill('SIGTERM');
        assert.equal(await second.exited, 0);
      }
    } finally {
      writer.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
