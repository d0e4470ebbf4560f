import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  createKeyring,
  currentEpoch,
  epochConflicts,
  keyringEntryKey,
  membersWithoutCurrentKey,
  openEpochKeys,
  rotateForRemoval,
  shareWithMember,
} from '../../src/crypto/keyring.ts';
import type { Keyring } from '../../src/crypto/keyring.ts';
import { createIdentity } from '../../src/crypto/identity.ts';
import type { IdentityKeyPair } from '../../src/crypto/identity.ts';
import { openField, sealField } from '../../src/crypto/field-cipher.ts';
import { isLocked } from '../../src/crypto/field-codec.ts';
import { CipherCodec } from '../../src/crypto/cipher-codec.ts';
import { SpaceKeys } from '../../src/crypto/space-keys.ts';

const spaceId = 'team-1';
const context = { spaceId, collection: 'tags', recordId: 'tag-1', field: 'name' };
const fixedClock = { now: () => 1_700_000_000_000 };

function person(id: string) {
  const identity = createIdentity();
  return { id, identity, member: { id, publicKey: identity.publicKey } };
}

function keysOf(keyring: Keyring, who: { id: string; identity: IdentityKeyPair }) {
  return openEpochKeys(spaceId, keyring, { id: who.id, privateKey: who.identity.privateKey });
}

// What the Space document does with entries: set each as an independent map entry.
const merge = (...parts: Keyring[]): Keyring => Object.assign({}, ...parts);

test('a new keyring seals epoch 1 for its members; entries are plain JSON', () => {
  const alice = person('alice');
  const created = createKeyring(spaceId, [alice.member], fixedClock);
  assert.equal(created.epoch, 1);
  assert.deepEqual(Object.keys(created.entries), ['1:alice']);

  const synced = JSON.parse(JSON.stringify(created.entries)) as Keyring;
  assert.equal(synced['1:alice']!.createdAt, 1_700_000_000_000);
  const opened = keysOf(synced, alice);
  assert.deepEqual(opened.keys.get(1), created.spaceKey);
  assert.equal(opened.currentEpoch, 1);
  assert.deepEqual(opened.unreadable, []);
});

test('a joining member gets every epoch from whoever shares first; twice adds nothing', () => {
  const [alice, bob, carol] = [person('alice'), person('bob'), person('carol')];
  const created = createKeyring(spaceId, [alice.member, bob.member]);
  const rotated = rotateForRemoval(spaceId, created.entries, [alice.member, bob.member]);
  let keyring = merge(created.entries, rotated.entries);
  assert.deepEqual(membersWithoutCurrentKey(keyring, ['alice', 'bob', 'carol']), ['carol']);

  // Alice and Bob both notice Carol at once (offline); their entries collide on the same keys,
  // and either one gives Carol the same keys.
  const fromAlice = shareWithMember(spaceId, keyring, keysOf(keyring, alice).keys, carol.member);
  const fromBob = shareWithMember(spaceId, keyring, keysOf(keyring, bob).keys, carol.member);
  assert.deepEqual(Object.keys(fromAlice).sort(), ['1:carol', '2:carol']);
  keyring = merge(keyring, fromAlice, fromBob);

  const carols = keysOf(keyring, carol);
  assert.deepEqual(carols.keys.get(1), created.spaceKey);
  assert.deepEqual(carols.keys.get(2), rotated.spaceKey);
  assert.deepEqual(membersWithoutCurrentKey(keyring, ['alice', 'bob', 'carol']), []);
  assert.deepEqual(shareWithMember(spaceId, keyring, carols.keys, carol.member), {});
  assert.deepEqual(epochConflicts(keyring), []);
});

test('after removal, new-epoch values open with nothing the removed member holds', () => {
  const [alice, bob, mallory] = [person('alice'), person('bob'), person('mallory')];
  const created = createKeyring(spaceId, [alice.member, bob.member, mallory.member]);
  const oldValue = sealField(created.spaceKey, 1, context, 'before removal');

  const rotated = rotateForRemoval(spaceId, created.entries, [alice.member, bob.member]);
  const keyring = merge(created.entries, rotated.entries);
  assert.equal(rotated.epoch, 2);
  assert.equal(currentEpoch(keyring), 2);
  assert.equal(keyring[keyringEntryKey(2, 'mallory')], undefined);
  const newValue = sealField(rotated.spaceKey, 2, context, 'after removal');

  // Mallory opens what the keyring holds for her (epoch 1 only) ...
  const mallorys = keysOf(keyring, mallory);
  assert.deepEqual([...mallorys.keys.keys()], [1]);
  // ... which still reads the old value (documented) but not the new one, with any key she has.
  assert.equal(
    openField((e) => mallorys.keys.get(e), context, oldValue),
    'before removal',
  );
  for (const key of [...mallorys.keys.values(), mallory.identity.privateKey]) {
    const result = openField(() => key, context, newValue);
    assert.ok(isLocked(result) && result.reason === 'tampered');
  }
  // Her private key opens no epoch-2 entry sealed for the others either.
  for (const id of ['alice', 'bob']) {
    const asHer = openEpochKeys(
      spaceId,
      { [`2:${id}`]: keyring[`2:${id}`]! },
      {
        id,
        privateKey: mallory.identity.privateKey,
      },
    );
    assert.deepEqual(asHer.unreadable, [2]);
  }
  assert.equal(
    openField((e) => keysOf(keyring, bob).keys.get(e), context, newValue),
    'after removal',
  );
});

test('the codec, fed from the keyring, writes in the newest epoch and reads both', () => {
  const [alice, bob] = [person('alice'), person('bob')];
  const created = createKeyring(spaceId, [alice.member, bob.member]);
  const rotated = rotateForRemoval(spaceId, created.entries, [alice.member]);
  const opened = keysOf(merge(created.entries, rotated.entries), alice);

  const keys = new SpaceKeys();
  keys.unlock();
  keys.setSpaceKeys(spaceId, opened.keys, opened.currentEpoch!);
  const codec = new CipherCodec(keys);
  const stored = codec.seal(context, 'Ops');
  assert.match(stored, /^enc:v1:2:/);
  assert.equal(codec.open(context, sealField(created.spaceKey, 1, context, 'Old')), 'Old');
  codec.destroy();
  keys.destroy();
});

test('changed, moved and junk entries are skipped, never thrown', () => {
  const [alice, bob] = [person('alice'), person('bob')];
  const created = createKeyring(spaceId, [alice.member, bob.member]);
  const alicesEntry = created.entries['1:alice']!;
  const keyring: Keyring = {
    ...created.entries,
    // Bob's box copied into Alice's slot of epoch 3: bound to Bob's slot, it does not open.
    '3:alice': { ...created.entries['1:bob']!, epoch: 3, memberId: 'alice' },
    // An entry stored under the wrong map key is ignored.
    '4:bob': alicesEntry,
    junk: null as unknown as Keyring[string],
  };
  const opened = keysOf(keyring, alice);
  assert.deepEqual([...opened.keys.keys()], [1]);
  assert.deepEqual(opened.unreadable, [3]);
  assert.equal(opened.currentEpoch, 3);
  // Epoch 3 is current but Alice holds no key for it: writes wait instead of using epoch 1.
  const keys = new SpaceKeys();
  keys.unlock();
  keys.setSpaceKeys(spaceId, opened.keys, opened.currentEpoch!);
  assert.equal(keys.currentKey(spaceId), undefined);
  keys.destroy();
});

test('concurrent rotations of one epoch are detected', () => {
  const [alice, bob, carol] = [person('alice'), person('bob'), person('carol')];
  const created = createKeyring(spaceId, [alice.member, bob.member, carol.member]);
  const byAlice = rotateForRemoval(spaceId, created.entries, [alice.member, bob.member]);
  const byBob = rotateForRemoval(spaceId, created.entries, [bob.member, carol.member]);
  const keyring = merge(created.entries, byAlice.entries, byBob.entries);
  assert.deepEqual(epochConflicts(keyring), [2]);
  assert.notEqual(byAlice.keyId, byBob.keyId);
});

test('keyring misuse names the argument', () => {
  const alice = person('alice');
  assert.throws(() => createKeyring(spaceId, []), { name: 'TypeError', message: /members/ });
  assert.throws(() => createKeyring(spaceId, [alice.member, alice.member]), /members\[1\]\.id/);
  assert.throws(() => createKeyring(spaceId, [{ id: 'a:b', publicKey: alice.member.publicKey }]), {
    name: 'TypeError',
    message: /members\[0\]\.id/,
  });
  assert.throws(() => rotateForRemoval(spaceId, {}, [{ id: 'x', publicKey: new Uint8Array(3) }]), {
    name: 'TypeError',
    message: /remainingMembers\[0\]\.publicKey/,
  });
});
