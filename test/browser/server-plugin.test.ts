// The browser reaches a real sync server started by the test-runner plugin: health, dev login,
// a ticket, and a WebSocket room that answers and refuses like the contract says.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

interface Started {
  url: string;
  id: string;
}

describe('sync server from Chromium', () => {
  it('starts a server, logs in, opens a room, restarts and stops', async () => {
    const { url, id } = await executeServerCommand<Started, { action: string }>('sync-server', {
      action: 'start',
    });
    expect((await fetch(`${url}/healthz`)).status).to.equal(200);

    const login = await fetch(`${url}/dev/login`, {
      method: 'POST',
      body: JSON.stringify({ userId: 'browser-user', name: 'Browser' }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const ticketOf = async () =>
      (
        (await (await fetch(`${url}/tickets`, { method: 'POST', headers: auth })).json()) as {
          ticket: string;
        }
      ).ticket;

    const wsUrl = url.replace(/^http/, 'ws');
    const socket = new WebSocket(`${wsUrl}/user/browser-user?ticket=${await ticketOf()}`);
    socket.binaryType = 'arraybuffer';
    const first = await new Promise<Uint8Array>((resolve, reject) => {
      socket.onmessage = (event) => resolve(new Uint8Array(event.data as ArrayBuffer));
      socket.onclose = () => reject(new Error('closed'));
    });
    expect(first[0]).to.equal(0, 'the server starts with sync step 1');
    socket.close();

    const refused = new WebSocket(`${wsUrl}/user/someone-else?ticket=${await ticketOf()}`);
    const code = await new Promise<number>((resolve) => {
      refused.onclose = (event) => resolve(event.code);
    });
    expect(code).to.equal(4403);

    const restarted = await executeServerCommand<Started, { action: string; id: string }>(
      'sync-server',
      { action: 'restart', id },
    );
    expect(restarted.url).to.equal(url);
    expect((await fetch(`${url}/healthz`)).status).to.equal(200);
    await executeServerCommand('sync-server', { action: 'stop', id });
  });
});
