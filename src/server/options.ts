// The server's settings: defaults, validation, and the reading of command-line flags and
// SPACE_KIT_* environment variables. `startServer` takes the resolved form.

/** One structured log entry; the server never puts tokens or tickets in one. */
export type LogEntry = { event: string } & Record<string, unknown>;

/** Receives log entries. The CLI writes them as JSON lines to stderr; tests pass a no-op. */
export type Logger = (entry: LogEntry) => void;

/** Settings of `startServer`. Every field but `jwtSecret` (or `dev`) has a default. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 4444. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Directory of the embedded LevelDB storage. Default `./.space-kit-data`. */
  data?: string;
  /** Enables `POST /dev/login`, CORS for any origin, and a generated secret when none is set. */
  dev?: boolean;
  /** HS256 secret for JWTs (at least 16 characters). Required unless `dev`. */
  jwtSecret?: string;
  /** Origin allowed by CORS outside dev mode; none when unset. */
  corsOrigin?: string;
  /** Largest WebSocket frame accepted; larger ones close the connection with 1009. */
  maxFrameBytes?: number;
  /** Sustained messages per second per connection. */
  messagesPerSecond?: number;
  /** Messages a connection may send in a burst above the sustained rate. */
  messageBurst?: number;
  /** Open WebSocket connections per user; more are refused with 4429. */
  maxConnectionsPerUser?: number;
  /** Lifetime of a ticket in milliseconds (60 s). */
  ticketTtlMs?: number;
  /** Lifetime of an invite code in milliseconds (7 days). */
  inviteTtlMs?: number;
  /** Tolerated clock difference when checking a JWT's `exp`, in seconds. */
  clockSkewSeconds?: number;
  /** Where structured log entries go. Default: nowhere. */
  log?: Logger;
}

export type ResolvedOptions = Required<Omit<ServerOptions, 'corsOrigin' | 'jwtSecret'>> & {
  corsOrigin: string | undefined;
  jwtSecret: string;
};

export const defaults = {
  port: 4444,
  host: '127.0.0.1',
  data: './.space-kit-data',
  maxFrameBytes: 1024 * 1024,
  messagesPerSecond: 100,
  messageBurst: 200,
  maxConnectionsPerUser: 20,
  ticketTtlMs: 60_000,
  inviteTtlMs: 7 * 24 * 3600_000,
  clockSkewSeconds: 30,
} as const;

function positiveInteger(value: number, name: string, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
  return value;
}

/**
 * Fills in defaults and checks every value. `generateSecret` is called only in dev mode
 * without a secret. Throws a TypeError/RangeError naming the option on misuse.
 */
export function resolveOptions(
  options: ServerOptions,
  generateSecret: () => string,
): ResolvedOptions {
  const dev = options.dev ?? false;
  const jwtSecret = options.jwtSecret ?? (dev ? generateSecret() : undefined);
  if (jwtSecret === undefined) {
    throw new TypeError(
      'jwtSecret is required: set SPACE_KIT_JWT_SECRET, or start with --dev for a local secret',
    );
  }
  if (typeof jwtSecret !== 'string' || jwtSecret.length < 16) {
    throw new RangeError('jwtSecret must be a string of at least 16 characters');
  }
  const port = options.port ?? defaults.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError('port must be an integer from 0 to 65535');
  }
  return {
    port,
    host: options.host ?? defaults.host,
    data: options.data ?? defaults.data,
    dev,
    jwtSecret,
    corsOrigin: options.corsOrigin ?? (dev ? '*' : undefined),
    maxFrameBytes: positiveInteger(
      options.maxFrameBytes ?? defaults.maxFrameBytes,
      'maxFrameBytes',
    ),
    messagesPerSecond: positiveInteger(
      options.messagesPerSecond ?? defaults.messagesPerSecond,
      'messagesPerSecond',
    ),
    messageBurst: positiveInteger(options.messageBurst ?? defaults.messageBurst, 'messageBurst'),
    maxConnectionsPerUser: positiveInteger(
      options.maxConnectionsPerUser ?? defaults.maxConnectionsPerUser,
      'maxConnectionsPerUser',
    ),
    ticketTtlMs: positiveInteger(options.ticketTtlMs ?? defaults.ticketTtlMs, 'ticketTtlMs'),
    inviteTtlMs: positiveInteger(options.inviteTtlMs ?? defaults.inviteTtlMs, 'inviteTtlMs'),
    clockSkewSeconds: positiveInteger(
      options.clockSkewSeconds ?? defaults.clockSkewSeconds,
      'clockSkewSeconds',
      true,
    ),
    log: options.log ?? (() => {}),
  };
}
