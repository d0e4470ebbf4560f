import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';

import { fromBase64Url, toBase64Url } from '../../src/crypto/encoding.ts';
import {
  fieldAssociatedData,
  isSealedField,
  openField,
  sealField,
  sealFieldJson,
  sealedFieldEpoch,
} from '../../src/crypto/field-cipher.ts';
import { isLocked } from '../../src/crypto/field-codec.ts';
import type { FieldContext } from '../../src/crypto/field-codec.ts';
import { randomKey } from '../../src/crypto/aead.ts';

const context: FieldContext = {
  spaceId: 'space-1',
  collection: 'tags',
  recordId: 'tag-1',
  field: 'name',
};
const key = Uint8Array.from({ length: 32 }, (_, i) => i);
const keyFor = (epoch: number) => (epoch === 3 ? key : undefined);

function assertTampered(result: unknown, what: string) {
  assert.ok(isLocked(result), `${what}: reads as locked`);
  assert.equal(result.reason, 'tampered', what);
}

test('known-answer vector: format, associated data and ciphertext are fixed', () => {
  const nonce = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i);
  const stored = sealFieldJson(key, 3, context, '"Groceries"', nonce);
  assert.equal(
    stored,
    'enc:v1:3:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX9n53H7OFC3_qh6WNEPhr93zHB0CWZZtXHdzl',
  );

  // The associated data written out by hand: each part is a 4-byte big-endian length + bytes.
  const part = (text: string) =>
    text.length.toString(16).padStart(8, '0') + Buffer.from(text, 'utf8').toString('hex');
  const expectedAd =
    part('space-kit/field') +
    part('v1') +
    part('space-1') +
    part('tags') +
    part('tag-1') +
    part('name') +
    '00000004' +
    '00000003';
  assert.equal(Buffer.from(fieldAssociatedData(context, 3)).toString('hex'), expectedAd);

  // Independent of openField: the body is nonce || XChaCha20-Poly1305 under that AD.
  const box = fromBase64Url(stored.split(':')[3]!)!;
  assert.deepEqual(box.subarray(0, 24), nonce);
  const plain = xchacha20poly1305(key, nonce, Buffer.from(expectedAd, 'hex')).decrypt(
    box.subarray(24),
  );
  assert.equal(Buffer.from(plain).toString('utf8'), '"Groceries"');
  assert.equal(openField(keyFor, context, stored), 'Groceries');
});

test('strings, arrays and objects round-trip; equal values seal differently', () => {
  for (const value of [
    '',
    'Groceries',
    ['a', 1, null],
    { name: 'x', tags: [{ color: '#fff' }] },
    0,
    true,
  ]) {
    assert.deepEqual(openField(keyFor, context, sealField(key, 3, context, value)), value);
  }
  assert.notEqual(sealField(key, 3, context, 'same'), sealField(key, 3, context, 'same'));
  assert.equal(sealedFieldEpoch(sealField(key, 3, context, 'x')), 3);
});

test('property: any string and any JSON value round-trips', () => {
  const k = randomKey();
  const lookup = () => k;
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
      (text) => {
        assert.equal(openField(lookup, context, sealField(k, 7, context, text)), text);
      },
    ),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const expected = JSON.parse(JSON.stringify(value)); // JSON semantics: -0 reads as 0
      assert.deepEqual(openField(lookup, context, sealField(k, 7, context, value)), expected);
    }),
    { numRuns: 300 },
  );
});

test('100,000 encryptions use 100,000 different nonces', () => {
  const k = randomKey();
  const nonces = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const stored = sealField(k, 1, context, 'v');
    nonces.add(stored.slice(9, 9 + 32)); // base64url of the 24-byte nonce after "enc:v1:1:"
  }
  assert.equal(nonces.size, 100_000);
});

test('tampering: any flipped bit in nonce, ciphertext or tag reads as tampered, no throw', () => {
  const stored = sealField(key, 3, context, 'secret');
  const prefix = 'enc:v1:3:';
  const box = fromBase64Url(stored.slice(prefix.length))!;
  for (let bit = 0; bit < box.length * 8; bit++) {
    const changed = box.slice();
    changed[bit >> 3]! ^= 1 << (bit & 7);
    const result = openField(keyFor, context, prefix + toBase64Url(changed));
    assertTampered(result, `bit ${bit}`);
  }
});

test('tampering: a ciphertext moved to another record, field, collection, Space or epoch', () => {
  const stored = sealField(key, 3, context, 'secret');
  assertTampered(openField(keyFor, { ...context, recordId: 'tag-2' }, stored), 'record');
  assertTampered(openField(keyFor, { ...context, field: 'icon' }, stored), 'field');
  assertTampered(openField(keyFor, { ...context, collection: 'tagGroups' }, stored), 'collection');
  assertTampered(openField(keyFor, { ...context, spaceId: 'space-2' }, stored), 'Space');

  const relabelled = stored.replace('enc:v1:3:', 'enc:v1:4:');
  assertTampered(
    openField(() => key, context, relabelled),
    'epoch label',
  );
  assertTampered(
    openField(() => randomKey(), context, stored),
    'wrong key',
  );
  // Framing keeps ("ab","c") and ("a","bc") apart.
  const joined = sealField(key, 3, { ...context, recordId: 'ab', field: 'c' }, 'x');
  assertTampered(openField(keyFor, { ...context, recordId: 'a', field: 'bc' }, joined), 'framing');
});

test('strict parsing: unknown versions, malformed bodies, missing keys', () => {
  const stored = sealField(key, 3, context, 'secret');
  const reason = (value: unknown) => {
    const result = openField(keyFor, context, value);
    return isLocked(result) ? result.reason : 'opened';
  };
  assert.equal(reason(stored.replace('enc:v1:', 'enc:v2:')), 'unknown-format');
  assert.equal(reason('plain text'), 'unknown-format');
  assert.equal(reason(42), 'unknown-format');
  assert.equal(reason(stored.replace(':3:', ':03:')), 'tampered');
  assert.equal(reason(stored + '='), 'tampered');
  assert.equal(reason(stored + ':x'), 'tampered');
  assert.equal(reason('enc:v1:3:AAAA'), 'tampered');
  assert.equal(reason(stored.replace(':3:', ':9:')), 'missing-key');
  assert.ok(isSealedField(stored) && isSealedField('enc:v9:x') && !isSealedField('encode'));
});

test('misuse names the argument', () => {
  assert.throws(() => sealField(new Uint8Array(16), 1, context, 'x'), {
    name: 'TypeError',
    message: /key/,
  });
  assert.throws(() => sealField(key, -1, context, 'x'), { name: 'RangeError', message: /epoch/ });
  assert.throws(() => sealField(key, 1.5, context, 'x'), { name: 'RangeError', message: /epoch/ });
  assert.throws(() => sealField(key, 1, { ...context, recordId: '' }, 'x'), {
    name: 'TypeError',
    message: /context\.recordId/,
  });
  assert.throws(() => sealField(key, 1, context, undefined), {
    name: 'TypeError',
    message: /value/,
  });
  assert.throws(() => sealField(key, 1, context, 10n), { name: 'TypeError', message: /value/ });
});
