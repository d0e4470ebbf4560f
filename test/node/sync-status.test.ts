import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { ConnectionState, SyncInterruptedError, docStatus } from '../../src/sync/status.ts';

test('one status object per document, shared by every caller', () => {
  const doc = new Y.Doc();
  assert.equal(docStatus(doc), docStatus(doc));
  assert.notEqual(docStatus(doc), docStatus(new Y.Doc()));
  assert.throws(() => docStatus({} as Y.Doc), { name: 'TypeError', message: /doc/ });
});

test('update notifies subscribers only on real changes', () => {
  const status = docStatus(new Y.Doc());
  const seen: string[] = [];
  const unsubscribe = status.subscribe((s) => seen.push(`${s.connection}/${s.savedLocally}`));
  status.update({ connection: ConnectionState.connecting });
  status.update({ connection: ConnectionState.connecting });
  status.update({ savedLocally: true });
  unsubscribe();
  status.update({ connection: ConnectionState.synced });
  assert.deepEqual(seen, ['connecting/false', 'connecting/true']);
  assert.equal(status.listenerCount, 0);
});

test('whenSynced and whenSavedOnServer settle when the state is reached', async () => {
  const status = docStatus(new Y.Doc());
  const synced = status.whenSynced();
  const saved = status.whenSavedOnServer();
  status.update({ connection: ConnectionState.syncing });
  status.update({ connection: ConnectionState.synced, savedOnServer: true });
  await synced;
  await saved;
  await status.whenSynced(); // already there: settles at once
});

test('revocation rejects server-side waiters but not whenSavedLocally', async () => {
  const status = docStatus(new Y.Doc());
  const synced = status.whenSynced();
  const local = status.whenSavedLocally();
  status.update({ connection: ConnectionState.revoked, revokedCode: 4403 });
  await assert.rejects(synced, (error) => {
    assert.ok(error instanceof SyncInterruptedError);
    assert.equal(error.reason, 'revoked');
    return true;
  });
  await assert.rejects(status.whenSavedOnServer(), { reason: 'revoked' });
  status.update({ savedLocally: true });
  await local;
});

test('destroying the document rejects every pending waiter and drops subscribers', async () => {
  const doc = new Y.Doc();
  const status = docStatus(doc);
  status.subscribe(() => {});
  const waits = [status.whenSynced(), status.whenSavedOnServer(), status.whenSavedLocally()];
  doc.destroy();
  for (const wait of waits) await assert.rejects(wait, { reason: 'closed' });
  assert.equal(status.destroyed, true);
  assert.equal(status.listenerCount, 0);
  await assert.rejects(status.whenSynced(), { reason: 'closed' });
  status.update({ connection: ConnectionState.synced });
  assert.equal(
    status.current.connection,
    ConnectionState.offline,
    'updates after destroy are ignored',
  );
});
