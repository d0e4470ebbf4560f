// Helpers for tests against a real space-kit-server on loopback: in-process or as a child
// process, with tokens, tickets, raw WebSockets and raw upgrade requests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { signJwt } from '../../src/server/jwt.ts';
import { startServer, type StartOptions, type SyncServer } from '../../src/server/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A fresh storage directory; removed by the server handles' `dispose()`. */
export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'space-kit-server-test-'));
}

export interface TestServer {
  server: SyncServer;
  url: string;
  wsUrl: string;
  secret: string;
  dataDir: string;
  /** Closes the server and deletes its data. */
  dispose(): Promise<void>;
}

/** Starts a quiet in-process server on a free loopback port with its own data directory. */
export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.data ?? freshDataDir();
  const secret = options.jwtSecret ?? randomBytes(24).toString('base64url');
  const server = await startServer({ port: 0, ...options, data: dataDir, jwtSecret: secret });
  return {
    server,
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    secret,
    dataDir,
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  port: number;
  secret: string;
  dataDir: string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `bin/space-kit-server.js` as a child process and resolves once it printed its URL.
 * stderr (the structured log) is collected in `log` instead of being printed.
 */
export async function spawnServer(
  options: { dataDir?: string; secret?: string; port?: number; args?: string[] } = {},
): Promise<ChildServer & { log: string[] }> {
  const dataDir = options.dataDir ?? freshDataDir();
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const args = ['bin/space-kit-server.js', '--port', String(options.port ?? 0), '--data', dataDir];
  const child = spawn(process.execPath, [...args, ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, SPACE_KIT_JWT_SECRET: secret, SPACE_KIT_DEV: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => log.push(line));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error('server did not start')), 15_000);
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { event?: string; url?: string };
        if (entry.event === 'listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not the listening line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${log.join('\n')}`));
    });
  });
  const port = Number(new URL(url).port);
  return { child, url, wsUrl: url.replace(/^http/, 'ws'), port, secret, dataDir, exited, log };
}

/** Signs a token for `userId`; `exp` defaults to one hour from now, `null` leaves it out. */
export function mintToken(
  secret: string,
  userId: string,
  claims: { name?: string; exp?: number | null } = {},
): string {
  const payload: Record<string, unknown> = { sub: userId, name: claims.name ?? userId };
  if (claims.exp !== null) payload.exp = claims.exp ?? Math.floor(Date.now() / 1000) + 3600;
  return signJwt(secret, payload);
}

/** Calls the HTTP API and returns the status and parsed JSON body. */
export async function api(
  url: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index into any JSON
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (e.g. /metrics)
  }
  return { status: response.status, body: parsed };
}

export async function getTicket(url: string, token: string): Promise<string> {
  const { status, body } = await api(url, token, 'POST', '/tickets');
  if (status !== 200) throw new Error(`ticket refused: ${status}`);
  return body.ticket as string;
}

/** A WebSocket that records every message and its close. */
export interface RecordedSocket {
  ws: WebSocket;
  messages: Uint8Array[];
  opened: Promise<boolean>;
  closed: Promise<{ code: number; reason: string }>;
}

export function openSocket(url: string): RecordedSocket {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => {});
  const opened = new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('close', () => resolve(false));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return { ws, messages, opened, closed };
}

/** Opens a room with a fresh ticket for `token`. */
export async function openRoom(
  server: { url: string; wsUrl: string },
  token: string,
  room: string,
): Promise<RecordedSocket> {
  const ticket = await getTicket(server.url, token);
  return openSocket(`${server.wsUrl}/${room}?ticket=${ticket}`);
}

/**
 * Sends a hand-written upgrade request for `rawPath` (no URL normalisation) and reports the
 * HTTP status, the close code if the server accepted and closed, and whether any data frame
 * arrived before the close frame.
 */
export function rawUpgrade(
  port: number,
  rawPath: string,
): Promise<{ status: number; closeCode?: number; dataFrames: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let status = 0;
    let dataFrames = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer'));
    }, 5000);
    const finish = (result: { status: number; closeCode?: number; dataFrames: number }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.on('error', () => finish({ status, dataFrames }));
    socket.on('close', () => finish({ status, dataFrames }));
    socket.on('connect', () => {
      socket.write(
        `GET ${rawPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (status === 0) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        status = Number(/^HTTP\/1\.1 (\d+)/.exec(buffer.toString('latin1'))?.[1] ?? 0);
        buffer = buffer.subarray(end + 4);
        if (status !== 101) return finish({ status, dataFrames });
      }
      // Unmasked server frames with payloads under 126 bytes are all a refusal can produce.
      while (buffer.length >= 2) {
        const opcode = buffer[0]! & 0x0f;
        const length = buffer[1]! & 0x7f;
        if (length >= 126 || buffer.length < 2 + length) return;
        if (opcode === 0x8)
          return finish({ status, closeCode: buffer.readUInt16BE(2), dataFrames });
        dataFrames += 1;
        buffer = buffer.subarray(2 + length);
      }
    });
  });
}

/** Reads one numeric sample from `/metrics`, e.g. `space_kit_rooms`. */
export async function readMetric(url: string, sample: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  if (line === undefined) throw new Error(`no metric ${sample}`);
  return Number(line.slice(sample.length + 1));
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
