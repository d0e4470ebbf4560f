// When to try again after a failed or lost connection.

/**
 * Reconnect timing: `base * 2^attempt`, capped, then spread by +-`jitter` so clients don't
 * stampede.
 */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly baseMs: number;
  /** Largest delay before jitter, in ms. */
  readonly maxMs: number;
  /** Fraction of the delay to spread randomly in both directions (0.5 → 50%–150%). */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = Object.freeze({
  baseMs: 250,
  maxMs: 10_000,
  jitter: 0.5,
});

/**
 * The delay in ms before reconnect attempt number `attempt` (0 for the first retry).
 * `random` returns a number in [0, 1), injectable for tests.
 */
export function reconnectDelay(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`attempt must be a non-negative integer (got ${attempt})`);
  }
  assertPolicy(policy);
  // 2^attempt overflows to Infinity for large attempts; Math.min keeps the cap either way.
  const exponential = Math.min(policy.baseMs * 2 ** attempt, policy.maxMs);
  const spread = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.round(exponential * spread);
}

/** Throws a RangeError naming the bad field of `policy`. */
export function assertPolicy(policy: BackoffPolicy): void {
  if (!(policy.baseMs > 0)) throw new RangeError('backoff.baseMs must be > 0');
  if (!(policy.maxMs >= policy.baseMs)) throw new RangeError('backoff.maxMs must be >= baseMs');
  if (!(policy.jitter >= 0 && policy.jitter < 1)) {
    throw new RangeError('backoff.jitter must be in [0, 1)');
  }
}
