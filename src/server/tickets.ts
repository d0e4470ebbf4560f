// Single-use tickets: the only credential that travels in a WebSocket URL. A ticket is random,
// lives for a minute, is bound to the user it was issued to, and is gone once redeemed.
import { randomBytes } from 'node:crypto';

/** Who a ticket was issued to. */
export interface TicketHolder {
  userId: string;
  name: string;
}

interface Entry extends TicketHolder {
  expiresAt: number;
}

/**
 * Outstanding tickets, held in memory with a bounded size.
 * Limit: per process; several server processes would need a shared ticket store.
 */
export class TicketBook {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #capacity: number;
  readonly #perUser: number;
  readonly #now: () => number;

  /**
   * @param ttlMs how long a ticket stays valid
   * @param capacity most outstanding tickets overall; issuing beyond it fails
   * @param perUser most outstanding tickets per user; the user's oldest one is dropped
   */
  constructor(ttlMs: number, capacity = 10_000, perUser = 50, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#capacity = capacity;
    this.#perUser = perUser;
    this.#now = now;
  }

  /** Issues a ticket, or returns `undefined` when the book is full of live tickets. */
  issue(holder: TicketHolder): string | undefined {
    this.#purgeExpired();
    const own = [...this.#entries].filter(([, entry]) => entry.userId === holder.userId);
    if (own.length >= this.#perUser) this.#entries.delete(own[0]![0]);
    if (this.#entries.size >= this.#capacity) return undefined;

    const ticket = randomBytes(32).toString('base64url');
    this.#entries.set(ticket, { ...holder, expiresAt: this.#now() + this.#ttlMs });
    return ticket;
  }

  /** Redeems a ticket once: a second redemption, or one after expiry, returns `undefined`. */
  redeem(ticket: string): TicketHolder | undefined {
    const entry = this.#entries.get(ticket);
    if (entry === undefined) return undefined;
    this.#entries.delete(ticket);
    if (entry.expiresAt <= this.#now()) return undefined;
    return { userId: entry.userId, name: entry.name };
  }

  /** Number of tickets held, for tests and metrics. */
  get size(): number {
    return this.#entries.size;
  }

  #purgeExpired(): void {
    const now = this.#now();
    for (const [ticket, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(ticket);
    }
  }
}
