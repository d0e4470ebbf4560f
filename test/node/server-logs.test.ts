// The server's log: one JSON line per connection event (opened, refused, closed), each naming
// the event, and never a credential: no JWT, no ticket, no secret.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import {
  api,
  getTicket,
  mintToken,
  openSocket,
  spawnServer,
  waitFor,
} from '../support/server-harness.ts';

test('logs one JSON line per connection event and no token, ticket or secret', async () => {
  const server = await spawnServer();
  try {
    const token = mintToken(server.secret, 'lena');
    const created = await api(server.url, token, 'POST', '/spaces', { id: 'logs', type: 'team' });
    assert.equal(created.status, 201);

    const ticket = await getTicket(server.url, token);
    const member = openSocket(`${server.wsUrl}/space/logs?ticket=${ticket}`);
    assert.equal(await member.opened, true);
    member.ws.close();
    await member.closed;

    const strangerTicket = await getTicket(server.url, mintToken(server.secret, 'mallory'));
    const stranger = openSocket(`${server.wsUrl}/space/logs?ticket=${strangerTicket}`);
    assert.equal((await stranger.closed).code, 4403);
    const reused = openSocket(`${server.wsUrl}/space/logs?ticket=${ticket}`);
    assert.equal((await reused.closed).code, 4401);

    const count = (event: string) =>
      server.log.filter((line) => JSON.parse(line).event === event).length;
    await waitFor(() => count('connection-closed') === 1, 3000, 'close logged');
    assert.equal(count('connection-opened'), 1);
    assert.equal(count('connection-refused'), 2);

    for (const line of server.log) {
      assert.equal(typeof JSON.parse(line).event, 'string', line);
      for (const secret of [token, ticket, strangerTicket, server.secret]) {
        assert.ok(!line.includes(secret), `a credential in the log: ${line}`);
      }
    }
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
    rmSync(server.dataDir, { recursive: true, force: true });
  }
});
