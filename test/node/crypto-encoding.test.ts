import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';

import { frame, fromBase64Url, toBase64Url, utf8Decode } from '../../src/crypto/encoding.ts';

test('base64url matches RFC 4648 §5 (checked against Node Buffer) and round-trips', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      const text = toBase64Url(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(fromBase64Url(text), bytes);
    }),
    { numRuns: 500 },
  );
});

test('base64url decoding is strict: one text form per byte string', () => {
  assert.deepEqual(fromBase64Url('-_8'), Uint8Array.of(0xfb, 0xff));
  for (const bad of ['AA==', 'A', 'AB+/', 'AB C', 'AB\u00e9A']) {
    assert.equal(fromBase64Url(bad), undefined, bad);
  }
  // 'AA' and 'AB' would both decode to one zero byte if trailing bits were ignored.
  assert.deepEqual(fromBase64Url('AA'), Uint8Array.of(0));
  assert.equal(fromBase64Url('AB'), undefined);
});

test('utf8Decode refuses malformed input instead of inventing characters', () => {
  assert.equal(utf8Decode(Uint8Array.of(0xc3, 0xa9)), '\u00e9');
  assert.equal(utf8Decode(Uint8Array.of(0xc3)), undefined);
});

test('frame keeps tuples apart that plain joining would confuse', () => {
  const hex = (parts: (string | number)[]) => Buffer.from(frame(parts)).toString('hex');
  assert.notEqual(hex(['ab', 'c']), hex(['a', 'bc']));
  assert.notEqual(hex(['a:b']), hex(['a', 'b']));
  assert.notEqual(hex(['1']), hex([1]));
  assert.equal(hex(['a', 1]), '0000000161' + '00000004' + '00000001');
  assert.throws(() => frame([-1]), { name: 'RangeError', message: /parts\[0\]/ });
  assert.throws(() => frame([2 ** 32]), { name: 'RangeError' });
});
