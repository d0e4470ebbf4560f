// `space-kit-server`: reads flags and SPACE_KIT_* variables, starts the server, prints one JSON
// line `{"event":"listening","url":…}` on stdout, logs JSON lines to stderr, and on SIGTERM or
// SIGINT stores everything pending and exits 0.
import { startServer, type ServerOptions } from './index.ts';
import { defaults } from './options.ts';

const help = `space-kit-server: the sync server of space-kit

Usage: space-kit-server [options]

  --port <n>                     port (default ${defaults.port}; 0 picks a free one)
                                 env SPACE_KIT_PORT
  --host <addr>                  interface (default ${defaults.host})
                                 env SPACE_KIT_HOST
  --data <dir>                   storage directory (default ${defaults.data})
                                 env SPACE_KIT_DATA
  --dev                          dev login, CORS for any origin, generated secret
                                 env SPACE_KIT_DEV=1
  --cors-origin <origin>         origin allowed by CORS
                                 env SPACE_KIT_CORS_ORIGIN
  --max-frame-bytes <n>          largest WebSocket frame (default ${defaults.maxFrameBytes})
                                 env SPACE_KIT_MAX_FRAME_BYTES
  --messages-per-second <n>      messages per connection (default ${defaults.messagesPerSecond})
                                 env SPACE_KIT_MESSAGES_PER_SECOND
  --message-burst <n>            burst above that rate (default ${defaults.messageBurst})
                                 env SPACE_KIT_MESSAGE_BURST
  --max-connections-per-user <n> open sockets per user (default ${defaults.maxConnectionsPerUser})
                                 env SPACE_KIT_MAX_CONNECTIONS_PER_USER
  --help                         print this help

The JWT secret (HS256) comes only from SPACE_KIT_JWT_SECRET, never from a flag, so it does not
show up in process lists. Without it the server refuses to start unless --dev is given.
`;

const flags = {
  '--port': 'port',
  '--host': 'host',
  '--data': 'data',
  '--cors-origin': 'corsOrigin',
  '--max-frame-bytes': 'maxFrameBytes',
  '--messages-per-second': 'messagesPerSecond',
  '--message-burst': 'messageBurst',
  '--max-connections-per-user': 'maxConnectionsPerUser',
} as const;
type FlagOption = (typeof flags)[keyof typeof flags];
const numeric = new Set<FlagOption>([
  'port',
  'maxFrameBytes',
  'messagesPerSecond',
  'messageBurst',
  'maxConnectionsPerUser',
]);

const environmentName = (option: string) =>
  `SPACE_KIT_${option.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;

function toValue(option: FlagOption, raw: string): string | number {
  if (!numeric.has(option)) return raw;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value)) {
    throw new RangeError(`${option} must be an integer (got ${JSON.stringify(raw)})`);
  }
  return value;
}

/** Reads options from `argv` over `env`; flags win. Returns `undefined` for --help. */
export function parseArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServerOptions | undefined {
  const options: Record<string, unknown> = {};
  for (const option of Object.values(flags)) {
    const raw = env[environmentName(option)];
    if (raw !== undefined && raw !== '') options[option] = toValue(option, raw);
  }
  options.dev = env.SPACE_KIT_DEV === '1' || env.SPACE_KIT_DEV === 'true';
  if (env.SPACE_KIT_JWT_SECRET) options.jwtSecret = env.SPACE_KIT_JWT_SECRET;

  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--help' || argument === '-h') return undefined;
    if (argument === '--dev') {
      options.dev = true;
      continue;
    }
    const [flag, inline] = argument.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!(flag in flags)) throw new TypeError(`unknown option ${flag} (see --help)`);
    const raw = inline ?? argv[++index];
    if (raw === undefined) throw new TypeError(`${flag} needs a value`);
    options[flags[flag as keyof typeof flags]] = toValue(flags[flag as keyof typeof flags], raw);
  }
  return options as ServerOptions;
}

/** Runs the server until SIGTERM/SIGINT. */
export async function main(argv: readonly string[]): Promise<void> {
  let options: ServerOptions | undefined;
  try {
    options = parseArguments(argv, process.env);
  } catch (error) {
    console.error(`space-kit-server: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  if (options === undefined) {
    process.stdout.write(help);
    return;
  }

  const log = (entry: object) => {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };
  let server;
  try {
    server = await startServer({ ...options, log });
  } catch (error) {
    console.error(`space-kit-server: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url })}\n`);

  const shutdown = (signal: string) => {
    log({ event: 'shutdown', signal });
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
