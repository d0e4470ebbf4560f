import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { Presence, colorForUser } from '../../src/sync/presence.ts';

// Awareness runs a timer; every instance is destroyed after its test so the process can exit.
const created: Awareness[] = [];
afterEach(() => {
  for (const awareness of created.splice(0)) awareness.destroy();
});

/** Awareness instances wired like a room: every change reaches every other member. */
function room(count: number): Awareness[] {
  const members = Array.from({ length: count }, () => new Awareness(new Y.Doc()));
  created.push(...members);
  for (const from of members) {
    from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === 'relay') return;
      const update = encodeAwarenessUpdate(from, [...added!, ...updated!, ...removed!]);
      for (const to of members) if (to !== from) applyAwarenessUpdate(to, update, 'relay');
    });
  }
  return members;
}

test('each side lists the other user with name, color and scene, never itself', () => {
  const [a, b] = room(2);
  const alice = new Presence(a!, { id: 'alice', name: 'Alice', color: '#aa3366' });
  const bob = new Presence(b!, { id: 'bob', name: 'Bob' });
  bob.setScene('overview');

  assert.deepEqual(alice.peers(), [
    {
      clientId: b!.clientID,
      userId: 'bob',
      name: 'Bob',
      color: colorForUser('bob'),
      sceneId: 'overview',
    },
  ]);
  assert.deepEqual(
    bob.peers().map((peer) => [peer.userId, peer.color, peer.sceneId]),
    [['alice', '#aa3366', null]],
  );
  alice.destroy();
  bob.destroy();
});

test('subscribers hear joins, scene changes and leaves; destroy clears our state', () => {
  const [a, b] = room(2);
  const alice = new Presence(a!, { id: 'alice', name: 'Alice' });
  const heard: string[][] = [];
  const unsubscribe = alice.subscribe((peers) =>
    heard.push(peers.map((peer) => `${peer.userId}@${peer.sceneId}`)),
  );
  const bob = new Presence(b!, { id: 'bob', name: 'Bob' });
  bob.setScene('plans');
  bob.destroy();
  assert.deepEqual(heard, [['bob@null'], ['bob@plans'], []]);
  assert.equal(b!.getLocalState(), null);
  unsubscribe();
  alice.destroy();
});

test('several tabs of one user show as one peer; our own other tabs are not listed', () => {
  const [a, b1, b2, a2] = room(4);
  const alice = new Presence(a!, { id: 'alice', name: 'Alice' });
  const bobTab1 = new Presence(b1!, { id: 'bob', name: 'Bob' });
  const bobTab2 = new Presence(b2!, { id: 'bob', name: 'Bob' });
  const aliceTab2 = new Presence(a2!, { id: 'alice', name: 'Alice' });
  assert.deepEqual(
    alice.peers().map((peer) => peer.userId),
    ['bob'],
  );
  bobTab2.destroy();
  assert.equal(alice.peers().length, 1, 'the other tab still shows Bob');
  bobTab1.destroy();
  assert.equal(alice.peers().length, 0);
  for (const presence of [alice, aliceTab2]) presence.destroy();
});

test('malformed remote states are ignored and bad colors replaced', () => {
  const [a, b, c] = room(3);
  const alice = new Presence(a!, { id: 'alice', name: 'Alice' });
  b!.setLocalState({ user: { id: 'not valid id!', name: 'X' } });
  c!.setLocalState({
    user: { id: 'carol', name: 'Carol', color: 'red;background:url(x)' },
    sceneId: 5,
  });
  assert.deepEqual(alice.peers(), [
    {
      clientId: c!.clientID,
      userId: 'carol',
      name: 'Carol',
      color: colorForUser('carol'),
      sceneId: null,
    },
  ]);
  alice.destroy();
});

test('misuse throws naming the argument', () => {
  const awareness = new Awareness(new Y.Doc());
  created.push(awareness);
  assert.throws(() => new Presence(awareness, { id: '', name: 'A' }), /user\.id/);
  assert.throws(
    () => new Presence(awareness, { id: 'a', name: 'A', color: 'blue' }),
    /user\.color/,
  );
  const presence = new Presence(awareness, { id: 'a', name: 'A' });
  assert.throws(() => presence.setScene('bad id!'), /sceneId/);
  presence.destroy();
});

test('colors are stable hex colors per user', () => {
  assert.equal(colorForUser('alice'), colorForUser('alice'));
  assert.notEqual(colorForUser('alice'), colorForUser('bob'));
  assert.match(colorForUser('alice'), /^#[0-9a-f]{6}$/);
});
