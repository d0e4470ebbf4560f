// Test-runner plugin that lets browser tests start and stop real sync servers on loopback.
// Browser code calls `executeServerCommand('sync-server', payload)`:
//   {action: 'start'}        → {url, id}   a fresh dev-mode server with its own data directory
//   {action: 'stop', id}     → {ok}        SIGTERM (stores pending updates), data removed
//   {action: 'kill', id}     → {ok}        SIGKILL, data kept for a restart
//   {action: 'restart', id}  → {url, id}   same data directory, secret and port
//   {action: 'scan', id, markers} → {files, found: [{file, marker}]}  raw bytes of the storage
// Each server is a child process (`bin/space-kit-server.js --dev`); all stop with the runner.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { setTimeout, clearTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * @typedef {{ child: import('node:child_process').ChildProcess, url: string, port: number, dataDir:
 * string, secret: string, exited: Promise<void> }} RunningServer
 */

/**
 * @param {{ dataDir: string, secret: string, port: number }} settings @returns
 * {Promise<RunningServer>}
 */
function launch({ dataDir, secret, port }) {
  const child = spawn(
    process.execPath,
    ['bin/space-kit-server.js', '--dev', '--port', String(port), '--data', dataDir],
    {
      cwd: root,
      env: { ...process.env, SPACE_KIT_JWT_SECRET: secret },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sync server did not start')), 15000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.event !== 'listening') return;
        clearTimeout(timer);
        resolve({
          child,
          url: entry.url,
          port: Number(new URL(entry.url).port),
          dataDir,
          secret,
          exited,
        });
      } catch {
        // not the listening line
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error('sync server exited during start'));
    });
  });
}

/**
 * Every file under `dir` searched for each marker's UTF-8 bytes. LevelDB may snappy-compress
 * table files, but a marker that occurs once is stored as a literal run, so it stays visible.
 * @param {string} dir @param {string[]} markers
 */
function scanDirectory(dir, markers) {
  const found = [];
  let files = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const bytes = readFileSync(path);
    for (const marker of markers) {
      if (bytes.includes(Buffer.from(marker, 'utf8'))) found.push({ file: path, marker });
    }
  }
  return { files, found };
}

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function testServerPlugin() {
  /** @type {Map<string, RunningServer>} */
  const servers = new Map();
  let nextId = 1;

  async function stop(id, signal) {
    const server = servers.get(id);
    if (server === undefined) return { ok: false };
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill(signal);
      await server.exited;
    }
    if (signal === 'SIGTERM') {
      servers.delete(id);
      rmSync(server.dataDir, { recursive: true, force: true });
    }
    return { ok: true };
  }

  return {
    name: 'space-kit-test-server',
    async executeCommand({ command, payload }) {
      if (command !== 'sync-server') return undefined;
      const action = payload?.action;
      if (action === 'start') {
        const dataDir = mkdtempSync(join(tmpdir(), 'space-kit-browser-test-'));
        const server = await launch({
          dataDir,
          secret: randomBytes(24).toString('base64url'),
          port: 0,
        });
        const id = String(nextId++);
        servers.set(id, server);
        return { url: server.url, id };
      }
      if (action === 'stop') return stop(payload.id, 'SIGTERM');
      if (action === 'kill') return stop(payload.id, 'SIGKILL');
      if (action === 'restart') {
        const old = servers.get(payload.id);
        if (old === undefined) throw new Error(`no sync server ${payload.id}`);
        await stop(payload.id, 'SIGKILL');
        const server = await launch({ dataDir: old.dataDir, secret: old.secret, port: old.port });
        servers.set(payload.id, server);
        return { url: server.url, id: payload.id };
      }
      if (action === 'scan') {
        const server = servers.get(payload.id);
        if (server === undefined) throw new Error(`no sync server ${payload.id}`);
        return scanDirectory(server.dataDir, payload.markers);
      }
      throw new Error(`unknown sync-server action ${JSON.stringify(action)}`);
    },
    async serverStop() {
      await Promise.all([...servers.keys()].map((id) => stop(id, 'SIGTERM')));
    },
  };
}
