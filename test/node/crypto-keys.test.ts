import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  DEFAULT_SCRYPT_PARAMS,
  WrongPassphraseError,
  createMasterKey,
  deriveFirstSpaceKey,
  deriveSpaceKeyRoot,
  deriveUserKey,
  unwrapMasterKey,
  wrapMasterKeyWithPassphrase,
} from '../../src/crypto/master-key.ts';
import type { PassphraseWrappedKey } from '../../src/crypto/master-key.ts';
import {
  IdentityUnwrapError,
  createIdentity,
  exportPublicKey,
  importPublicKey,
  unwrapIdentity,
  wrapIdentity,
} from '../../src/crypto/identity.ts';
import { openSpaceKey, sealSpaceKey } from '../../src/crypto/sealed-box.ts';
import { randomKey } from '../../src/crypto/aead.ts';
import { unlockUserKeys } from '../../src/crypto/user-keys.ts';

// Cheap parameters for tests that are not about cost; the default is measured in its own test.
const fast = { N: 2 ** 10, r: 8, p: 1 };

test('passphrase wrap: default parameters round-trip in well under a second', async () => {
  const masterKey = createMasterKey();
  const started = performance.now();
  const wrapped = await wrapMasterKeyWithPassphrase(masterKey, 'correct horse battery staple');
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `wrapping took ${elapsed.toFixed(0)} ms`);

  // The wrap is plain JSON (it syncs in the user document) and carries its parameters.
  const synced = JSON.parse(JSON.stringify(wrapped)) as PassphraseWrappedKey;
  assert.deepEqual(
    { version: synced.version, kdf: synced.kdf, N: synced.N, r: synced.r, p: synced.p },
    { version: 1, kdf: 'scrypt', ...DEFAULT_SCRYPT_PARAMS },
  );
  assert.deepEqual(await unwrapMasterKey(synced, 'correct horse battery staple'), masterKey);
});

test('a wrong passphrase rejects with WrongPassphraseError and returns nothing', async () => {
  const wrapped = await wrapMasterKeyWithPassphrase(createMasterKey(), 'right', fast);
  await assert.rejects(unwrapMasterKey(wrapped, 'wrong'), (error: unknown) => {
    assert.ok(error instanceof WrongPassphraseError);
    assert.match(error.message, /wrong passphrase/i);
    return true;
  });
  // Lowering the stored cost (a downgrade by whoever stores the wrap) also fails.
  await assert.rejects(unwrapMasterKey({ ...wrapped, N: 2 ** 9 }, 'right'), WrongPassphraseError);
});

test('passphrases are compared after Unicode normalisation', async () => {
  const masterKey = createMasterKey();
  const wrapped = await wrapMasterKeyWithPassphrase(masterKey, 'Gr\u00fc\u00dfe', fast);
  assert.deepEqual(await unwrapMasterKey(wrapped, 'Gru\u0308\u00dfe'), masterKey);
});

test('master key misuse names the argument', async () => {
  await assert.rejects(wrapMasterKeyWithPassphrase(new Uint8Array(31), 'x', fast), {
    name: 'TypeError',
    message: /masterKey/,
  });
  await assert.rejects(wrapMasterKeyWithPassphrase(createMasterKey(), '', fast), {
    name: 'TypeError',
    message: /passphrase/,
  });
  await assert.rejects(
    wrapMasterKeyWithPassphrase(createMasterKey(), 'x', { N: 1000, r: 8, p: 1 }),
    {
      name: 'RangeError',
      message: /params\.N/,
    },
  );
  const wrapped = await wrapMasterKeyWithPassphrase(createMasterKey(), 'x', fast);
  await assert.rejects(unwrapMasterKey({ ...wrapped, N: 2 ** 30 }, 'x'), {
    name: 'RangeError',
    message: /wrapped\.N/,
  });
  await assert.rejects(unwrapMasterKey({ ...wrapped, salt: 'AA' }, 'x'), {
    name: 'TypeError',
    message: /wrapped\.salt/,
  });
});

test('identity: the private half round-trips only with the right master key and user', () => {
  const masterKey = createMasterKey();
  const identity = createIdentity();
  const wrapped = JSON.parse(JSON.stringify(wrapIdentity(identity, masterKey, 'alice')));
  assert.equal(wrapped.publicKey, exportPublicKey(identity.publicKey));
  assert.ok(!JSON.stringify(wrapped).includes(exportPublicKey(identity.privateKey)));

  const opened = unwrapIdentity(wrapped, masterKey, 'alice');
  assert.deepEqual(opened.privateKey, identity.privateKey);
  assert.deepEqual(importPublicKey(wrapped.publicKey), identity.publicKey);

  assert.throws(() => unwrapIdentity(wrapped, createMasterKey(), 'alice'), IdentityUnwrapError);
  assert.throws(() => unwrapIdentity(wrapped, masterKey, 'mallory'), IdentityUnwrapError);
  const swapped = { ...wrapped, publicKey: exportPublicKey(createIdentity().publicKey) };
  assert.throws(() => unwrapIdentity(swapped, masterKey, 'alice'), IdentityUnwrapError);
  assert.throws(() => importPublicKey('AAAA'), { name: 'TypeError', message: /publicKey/ });
});

test('sealed box: only the recipient opens a Space key, only for its own slot', () => {
  const bob = createIdentity();
  const eve = createIdentity();
  const spaceKey = randomKey();
  const slot = { spaceId: 'space-1', epoch: 2, memberId: 'bob' };
  const sealed = sealSpaceKey(spaceKey, slot, bob.publicKey);
  assert.ok(!JSON.stringify(sealed).includes(exportPublicKey(spaceKey)));

  assert.deepEqual(openSpaceKey(sealed, slot, bob.privateKey), spaceKey);
  assert.equal(openSpaceKey(sealed, slot, eve.privateKey), undefined, 'someone else');
  assert.equal(openSpaceKey(sealed, { ...slot, epoch: 3 }, bob.privateKey), undefined, 'epoch');
  assert.equal(openSpaceKey(sealed, { ...slot, spaceId: 'space-2' }, bob.privateKey), undefined);
  assert.equal(openSpaceKey(sealed, { ...slot, memberId: 'bobby' }, bob.privateKey), undefined);

  const box = Buffer.from(sealed.box, 'base64url');
  box[30]! ^= 1;
  const flipped = { ...sealed, box: box.toString('base64url') };
  assert.equal(openSpaceKey(flipped, slot, bob.privateKey), undefined, 'flipped bit');
  assert.notDeepEqual(sealSpaceKey(spaceKey, slot, bob.publicKey), sealed, 'ephemeral keys differ');

  assert.throws(() => sealSpaceKey(spaceKey, slot, new Uint8Array(32)), {
    name: 'TypeError',
    message: /recipientPublicKey/,
  });
  assert.throws(() => sealSpaceKey(spaceKey.subarray(1), slot, bob.publicKey), /spaceKey/);
});

test('the user-document key is derived from the master key, per user', () => {
  const masterKey = createMasterKey();
  const alices = deriveUserKey(masterKey, 'alice');
  assert.equal(alices.length, 32);
  assert.deepEqual(deriveUserKey(masterKey.slice(), 'alice'), alices, 'every device derives it');
  assert.notDeepEqual(deriveUserKey(masterKey, 'bob'), alices);
  assert.notDeepEqual(deriveUserKey(createMasterKey(), 'alice'), alices);
  assert.notDeepEqual(alices, masterKey);
  assert.throws(() => deriveUserKey(masterKey, ''), { name: 'TypeError', message: /userId/ });
});

test('unlocking: the first creates, later ones open, wrong input returns nothing', async () => {
  const options = { scryptParams: fast };
  const first = await unlockUserKeys('alice', { passphrase: 'pw' }, {}, options);
  assert.ok(first.toStore.wrappedMasterKey && first.toStore.wrappedIdentity);
  const stored = JSON.parse(JSON.stringify(first.toStore));

  // A second device with the synced user document and the same passphrase gets the same keys.
  const second = await unlockUserKeys('alice', { passphrase: 'pw' }, stored, options);
  assert.deepEqual(second.masterKey, first.masterKey);
  assert.deepEqual(second.identity.privateKey, first.identity.privateKey);
  assert.deepEqual(second.userKey, first.userKey);
  assert.deepEqual(second.toStore, {});

  await assert.rejects(
    unlockUserKeys('alice', { passphrase: 'nope' }, stored, options),
    WrongPassphraseError,
  );
  await assert.rejects(
    unlockUserKeys('alice', { masterKey: createMasterKey() }, stored, options),
    IdentityUnwrapError,
  );
  const hosted = await unlockUserKeys('alice', { masterKey: first.masterKey }, stored, options);
  assert.deepEqual(hosted.identity.publicKey, first.identity.publicKey);
  await assert.rejects(unlockUserKeys('alice', { masterKey: new Uint8Array(8) }, {}), {
    name: 'TypeError',
    message: /input\.masterKey/,
  });
});

test("an owner's epoch-1 key is the same on every device, distinct per Space and per user", () => {
  const masterKey = createMasterKey();
  const root = deriveSpaceKeyRoot(masterKey, 'ada');
  const again = deriveSpaceKeyRoot(masterKey.slice(), 'ada');
  assert.deepEqual(deriveFirstSpaceKey(root, 'space-1'), deriveFirstSpaceKey(again, 'space-1'));
  assert.notDeepEqual(deriveFirstSpaceKey(root, 'space-1'), deriveFirstSpaceKey(root, 'space-2'));
  const otherUser = deriveSpaceKeyRoot(masterKey, 'bob');
  assert.notDeepEqual(
    deriveFirstSpaceKey(root, 'space-1'),
    deriveFirstSpaceKey(otherUser, 'space-1'),
  );
  assert.notDeepEqual(root, deriveUserKey(masterKey, 'ada'));
  assert.throws(() => deriveFirstSpaceKey(new Uint8Array(16), 'space-1'), TypeError);
});
