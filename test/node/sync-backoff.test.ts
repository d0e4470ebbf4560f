import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBackoff, reconnectDelay } from '../../src/sync/backoff.ts';

test('reconnect delays double from 250 ms and stop at the 10 s cap', () => {
  const middle = () => 0.5; // no jitter at the middle of the range
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => reconnectDelay(attempt, defaultBackoff, middle)),
    [250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000],
  );
  assert.equal(reconnectDelay(5000, defaultBackoff, middle), 10000);
});

test('jitter spreads each delay over ±50%', () => {
  assert.equal(
    reconnectDelay(2, defaultBackoff, () => 0),
    500,
  );
  assert.equal(
    reconnectDelay(2, defaultBackoff, () => 0.999999),
    1500,
  );
  const samples = new Set(Array.from({ length: 50 }, () => reconnectDelay(3)));
  assert.ok(samples.size > 10, 'real randomness gives different delays');
  for (const delay of samples) assert.ok(delay >= 1000 && delay <= 3000, `${delay} in range`);
});

test('misuse names the argument', () => {
  assert.throws(() => reconnectDelay(-1), { name: 'RangeError', message: /attempt/ });
  assert.throws(() => reconnectDelay(1.5), { name: 'RangeError', message: /attempt/ });
  assert.throws(() => reconnectDelay(0, { baseMs: 0, maxMs: 1, jitter: 0 }), /baseMs/);
  assert.throws(() => reconnectDelay(0, { baseMs: 10, maxMs: 5, jitter: 0 }), /maxMs/);
  assert.throws(() => reconnectDelay(0, { baseMs: 10, maxMs: 50, jitter: 1 }), /jitter/);
});
