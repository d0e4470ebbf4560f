import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CipherCodec } from '../../src/crypto/cipher-codec.ts';
import { randomKey } from '../../src/crypto/aead.ts';
import { sealField } from '../../src/crypto/field-cipher.ts';
import { LockedError, isLocked } from '../../src/crypto/field-codec.ts';
import type { FieldContext } from '../../src/crypto/field-codec.ts';
import { SpaceKeys } from '../../src/crypto/space-keys.ts';

const spaceId = 'space-1';
const nameOf = (recordId: string): FieldContext => ({
  spaceId,
  collection: 'tags',
  recordId,
  field: 'name',
});

function unlockedKeys(epochKeys: Map<number, Uint8Array>, current: number) {
  const keys = new SpaceKeys();
  keys.unlock();
  keys.setSpaceKeys(spaceId, epochKeys, current);
  return keys;
}

function reason(value: unknown): string {
  return isLocked(value) ? value.reason : 'opened';
}

test('listing 10,000 tags decrypts only the names read, each at most once', () => {
  const key = randomKey();
  const keys = unlockedKeys(new Map([[1, key]]), 1);
  const codec = new CipherCodec(keys);
  // Sealed by "another device": nothing is in this codec's cache yet.
  const stored = Array.from({ length: 10_000 }, (_, i) =>
    sealField(key, 1, nameOf(`tag-${i}`), `Tag ${i}`),
  );

  // A list that shows 50 rows reads 50 names.
  for (let i = 0; i < 50; i++) assert.equal(codec.open(nameOf(`tag-${i}`), stored[i]), `Tag ${i}`);
  assert.equal(codec.stats.decryptions, 50);

  // Re-rendering reads them again: served from the cache.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 50; i++) codec.open(nameOf(`tag-${i}`), stored[i]);
  }
  assert.deepEqual(codec.stats, { encryptions: 0, decryptions: 50, cacheHits: 150 });

  // Reading all of them decrypts each ciphertext exactly once more.
  for (let i = 0; i < 10_000; i++) codec.open(nameOf(`tag-${i}`), stored[i]);
  assert.equal(codec.stats.decryptions, 10_000);
  codec.destroy();
});

test('own writes read back without decryption; values are frozen copies', () => {
  const keys = unlockedKeys(new Map([[1, randomKey()]]), 1);
  const codec = new CipherCodec(keys);
  const stored = codec.seal(nameOf('t'), { label: 'Work', parts: ['a'] });
  assert.match(stored, /^enc:v1:1:/);

  const value = codec.open(nameOf('t'), stored) as { label: string; parts: string[] };
  assert.deepEqual(value, { label: 'Work', parts: ['a'] });
  assert.ok(Object.isFrozen(value) && Object.isFrozen(value.parts));
  assert.deepEqual(codec.stats, { encryptions: 1, decryptions: 0, cacheHits: 1 });
  codec.destroy();
});

test('a ciphertext moved elsewhere misses the cache and reads as tampered', () => {
  const key = randomKey();
  const keys = unlockedKeys(new Map([[1, key]]), 1);
  // Even a Space that happens to hold the very same key must refuse the moved value.
  keys.setSpaceKeys('space-2', new Map([[1, key]]), 1);
  const codec = new CipherCodec(keys);
  const stored = codec.seal(nameOf('a'), 'Secret');
  assert.equal(codec.open(nameOf('a'), stored), 'Secret');

  assert.equal(reason(codec.open(nameOf('b'), stored)), 'tampered');
  assert.equal(reason(codec.open({ ...nameOf('a'), field: 'icon' }, stored)), 'tampered');
  assert.equal(reason(codec.open({ ...nameOf('a'), spaceId: 'space-2' }, stored)), 'tampered');
  // Failures are cached too: a broken value is not decrypted on every render.
  const before = codec.stats.decryptions;
  codec.open(nameOf('b'), stored);
  assert.equal(codec.stats.decryptions, before);
  codec.destroy();
});

test('locked: values read as locked, writes throw LockedError, unlock fills them in', () => {
  const key = randomKey();
  const keys = new SpaceKeys();
  const codec = new CipherCodec(keys);
  const stored = sealField(key, 1, nameOf('t'), 'Groceries');

  assert.equal(reason(codec.open(nameOf('t'), stored)), 'locked');
  assert.throws(
    () => codec.seal(nameOf('t'), 'x'),
    (error: unknown) => {
      return error instanceof LockedError && error.reason === 'locked';
    },
  );

  keys.unlock();
  assert.equal(reason(codec.open(nameOf('t'), stored)), 'missing-key');
  assert.throws(
    () => codec.seal(nameOf('t'), 'x'),
    (error: unknown) => {
      return error instanceof LockedError && error.reason === 'missing-key';
    },
  );

  keys.setSpaceKeys(spaceId, new Map([[1, key]]), 1);
  assert.equal(codec.open(nameOf('t'), stored), 'Groceries');
  codec.destroy();
});

test('lock forgets keys and decrypted values; unlocking again decrypts afresh', () => {
  const key = randomKey();
  const keys = unlockedKeys(new Map([[1, key]]), 1);
  const codec = new CipherCodec(keys);
  const stored = sealField(key, 1, nameOf('t'), 'Groceries');
  assert.equal(codec.open(nameOf('t'), stored), 'Groceries');

  keys.lock();
  assert.equal(reason(codec.open(nameOf('t'), stored)), 'locked');
  assert.ok(
    key.some((byte) => byte !== 0),
    'the caller keeps its own copy of the key',
  );

  keys.unlock();
  keys.setSpaceKeys(spaceId, new Map([[1, key]]), 1);
  codec.resetStats();
  assert.equal(codec.open(nameOf('t'), stored), 'Groceries');
  assert.equal(codec.stats.decryptions, 1, 'the cache was emptied by lock');
  codec.destroy();
});

test('writes use the current epoch; old epochs still read; no fallback to an older key', () => {
  const [key1, key2] = [randomKey(), randomKey()];
  const keys = unlockedKeys(
    new Map([
      [1, key1],
      [2, key2],
    ]),
    2,
  );
  const codec = new CipherCodec(keys);
  const old = sealField(key1, 1, nameOf('t'), 'old');
  assert.equal(codec.open(nameOf('t'), old), 'old');
  assert.match(codec.seal(nameOf('t'), 'new'), /^enc:v1:2:/);

  const behind = unlockedKeys(new Map([[1, key1]]), 2);
  const behindCodec = new CipherCodec(behind);
  assert.throws(() => behindCodec.seal(nameOf('t'), 'x'), { name: 'LockedError' });
  codec.destroy();
  behindCodec.destroy();
});

test('plaintext values pass through; open never throws', () => {
  const keys = unlockedKeys(new Map([[1, randomKey()]]), 1);
  const codec = new CipherCodec(keys);
  assert.equal(codec.open(nameOf('t'), 'not yet swept'), 'not yet swept');
  assert.equal(codec.isSealed('not yet swept'), false);
  assert.equal(codec.isSealed(codec.seal(nameOf('t'), 'x')), true);
  assert.equal(codec.isSealed('enc:v7:from-a-newer-kit'), true, 'the sweep must not re-seal it');
  assert.equal(reason(codec.open(nameOf('t'), 'enc:v7:from-a-newer-kit')), 'unknown-format');
  assert.equal(reason(codec.open(null as unknown as FieldContext, 'enc:v1:1:AAAA')), 'tampered');
  codec.destroy();
});

test('destroy unsubscribes from the key source', () => {
  const keys = unlockedKeys(new Map([[1, randomKey()]]), 1);
  const codec = new CipherCodec(keys);
  const stored = codec.seal(nameOf('t'), 'x');
  codec.destroy();
  keys.lock();
  keys.unlock();
  assert.equal(codec.stats.encryptions, 1);
  assert.equal(reason(codec.open(nameOf('t'), stored)), 'missing-key');
  assert.throws(() => new CipherCodec(keys, { maxCacheEntries: -1 }), {
    name: 'RangeError',
    message: /maxCacheEntries/,
  });
});

test('the cache is bounded', () => {
  const key = randomKey();
  const codec = new CipherCodec(unlockedKeys(new Map([[1, key]]), 1), { maxCacheEntries: 2 });
  const stored = ['a', 'b', 'c'].map((id) => sealField(key, 1, nameOf(id), id));
  stored.forEach((value, i) => codec.open(nameOf(['a', 'b', 'c'][i]!), value));
  codec.open(nameOf('a'), stored[0]);
  assert.equal(codec.stats.decryptions, 4, 'the oldest entry was dropped');
  codec.destroy();
});
