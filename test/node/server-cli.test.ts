// The command line: flags over SPACE_KIT_* variables, --help, refusing to start without a
// secret, and the /metrics text format.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseArguments } from '../../src/server/cli.ts';
import { api, mintToken, startTestServer } from '../support/server-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('space-kit-server command line', () => {
  it('reads flags over environment variables', () => {
    const options = parseArguments(['--port', '5000', '--data=/tmp/x', '--dev'], {
      SPACE_KIT_PORT: '4000',
      SPACE_KIT_HOST: '0.0.0.0',
      SPACE_KIT_MAX_FRAME_BYTES: '2048',
      SPACE_KIT_JWT_SECRET: 'from the environment',
    });
    assert.deepEqual(options, {
      port: 5000,
      host: '0.0.0.0',
      data: '/tmp/x',
      maxFrameBytes: 2048,
      dev: true,
      jwtSecret: 'from the environment',
    });
    assert.equal(parseArguments(['--help'], {}), undefined);
    assert.throws(() => parseArguments(['--port', 'many'], {}), RangeError);
    assert.throws(() => parseArguments(['--jwt-secret', 'x'], {}), TypeError);
    assert.throws(() => parseArguments(['--data'], {}), TypeError);
  });

  it('prints help, and refuses to start without a secret outside dev mode', () => {
    const env = { ...process.env, SPACE_KIT_JWT_SECRET: '', SPACE_KIT_DEV: '' };
    const help = spawnSync(process.execPath, ['bin/space-kit-server.js', '--help'], {
      cwd: root,
      env,
    });
    assert.equal(help.status, 0);
    for (const flag of ['--port', '--host', '--data', '--dev'])
      assert.match(String(help.stdout), new RegExp(flag));

    const refused = spawnSync(process.execPath, ['bin/space-kit-server.js', '--port', '0'], {
      cwd: root,
      env,
    });
    assert.equal(refused.status, 1);
    assert.match(String(refused.stderr), /SPACE_KIT_JWT_SECRET/);
  });

  it('serves metrics in the Prometheus text format', async () => {
    const t = await startTestServer();
    try {
      await api(t.url, mintToken(t.secret, 'mia'), 'POST', '/tickets');
      const { status, body } = await api(t.url, undefined, 'GET', '/metrics');
      assert.equal(status, 200);
      for (const name of [
        'space_kit_connections',
        'space_kit_rooms',
        'space_kit_bytes_in_total',
        'space_kit_bytes_out_total',
        'space_kit_refusals_total{reason="malformed"}',
        'space_kit_store_latency_seconds_count',
        'process_resident_memory_bytes',
      ]) {
        assert.match(body, new RegExp(`^${name.replace(/[{}]/g, '\\$&')} \\d`, 'm'), name);
      }
      for (const line of String(body).trimEnd().split('\n')) {
        assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{\w+="[^"]*"\})? [\d.e+-]+)$/, line);
      }
    } finally {
      await t.dispose();
    }
  });

  it('allows CORS from any origin in dev mode only', async () => {
    const dev = await startTestServer({ dev: true });
    const strict = await startTestServer({ corsOrigin: 'https://app.example' });
    try {
      const devAnswer = await fetch(`${dev.url}/spaces`, { method: 'OPTIONS' });
      assert.equal(devAnswer.status, 204);
      assert.equal(devAnswer.headers.get('access-control-allow-origin'), '*');
      const login = await api(dev.url, undefined, 'POST', '/dev/login', {
        userId: 'devi',
        name: 'Devi',
      });
      assert.equal((await api(dev.url, login.body.token, 'POST', '/tickets')).status, 200);
      const strictAnswer = await fetch(`${strict.url}/healthz`);
      assert.equal(strictAnswer.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal(
        (await api(strict.url, undefined, 'POST', '/dev/login', { userId: 'x' })).status,
        401,
      );
    } finally {
      await dev.dispose();
      await strict.dispose();
    }
  });
});
