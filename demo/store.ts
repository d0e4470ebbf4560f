// The store playground: plain DOM over the kit's API, no elements. It re-binds everything to the
// active Space through onActiveSpaceChanged, the way elements will, and syncs through the dev
// server when one answers.
import { ConnectionState, createSpaceKit, isLocked, isValidId } from '../src/index.ts';
import type { Kit, Space, SpaceType, TagSource } from '../src/index.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>('status');
const spaceSelect = $<HTMLSelectElement>('space-select');
const sourceSelect = $<HTMLSelectElement>('space-source');
const tagList = $<HTMLUListElement>('tags');
const kontextArea = $<HTMLTextAreaElement>('kontext');
const passphraseInput = $<HTMLInputElement>('passphrase');

const show = (value: unknown) => (isLocked(value) ? '🔒 locked' : String(value));

const params = new URLSearchParams(location.search);
const requested = params.get('user') ?? 'demo';
const userId = isValidId(requested) ? requested : 'demo';
const serverUrl = (params.get('server') ?? 'http://127.0.0.1:4444').replace(/\/+$/, '');

const connectionLabels: Record<ConnectionState, string> = {
  [ConnectionState.offline]: 'offline, retrying',
  [ConnectionState.connecting]: 'connecting',
  [ConnectionState.syncing]: 'syncing',
  [ConnectionState.synced]: 'connected, up to date',
  [ConnectionState.revoked]: 'access refused by the server',
};

void start();

async function start(): Promise<void> {
  const login = await devLogin();
  try {
    const kit = await createSpaceKit({
      user: { id: userId, name: userId },
      storagePrefix: 'demo',
      // Limit: no re-login when the token expires; dev tokens last hours.
      ...('token' in login
        ? { server: serverUrl, getToken: () => Promise.resolve(login.token) }
        : {}),
    });
    status.textContent =
      'token' in login
        ? `Signed in as ${userId}, syncing through ${serverUrl}.`
        : `Signed in as ${userId}. Local only: ${login.reason}.`;
    bind(kit);
  } catch (error) {
    status.textContent = `The store could not start: ${(error as Error).message}`;
  }
}

/** A dev token when the server answers, else why we run without it. */
async function devLogin(): Promise<{ token: string } | { reason: string }> {
  try {
    const health = await fetch(`${serverUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
    if (!health.ok) return { reason: `the server at ${serverUrl} answered ${health.status}` };
    const response = await fetch(`${serverUrl}/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, name: userId }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      return { reason: `dev login refused (${response.status}); does the server run with --dev?` };
    }
    const { token } = (await response.json()) as { token?: unknown };
    if (typeof token !== 'string') return { reason: 'dev login returned no token' };
    return { token };
  } catch {
    return { reason: `no server answers at ${serverUrl}` };
  }
}

function bind(kit: Kit): void {
  // Misuse shows on the error line; the next action that works clears it.
  const fail = (error: unknown) => ($('error').textContent = (error as Error).message);
  const ok = () => ($('error').textContent = '');
  // Whether this user already has a passphrase: the wrapped master key in the user doc. A demo
  // may peek at internals; elements would get this from the kit.
  const userKeys = kit.internals.userDoc.getMap('keys');
  const hasPassphrase = () => userKeys.has('wrappedMasterKey');

  function renderLock(): void {
    $('lock-state').textContent = kit.locked
      ? '🔒 Locked: encrypted values are hidden and cannot be written.'
      : '🔓 Unlocked: encrypted values are readable and writable.';
    $('lock-hint').textContent = !kit.locked
      ? 'Lock forgets the keys on this page; encrypted values read as locked again.'
      : hasPassphrase()
        ? 'Enter the passphrase of this user.'
        : 'No passphrase yet: the first unlock sets it. It cannot be recovered, so remember it.';
    $<HTMLButtonElement>('unlock-button').disabled = !kit.locked;
    $<HTMLButtonElement>('lock').disabled = kit.locked;
    passphraseInput.disabled = !kit.locked;
    kontextArea.disabled = kit.locked;
    kontextArea.placeholder = kit.locked ? '🔒 locked: unlock to read and edit' : '';
  }

  function renderSpaces(): void {
    const spaces = kit.spaces.list();
    spaceSelect.replaceChildren(
      ...spaces.map(
        (s) => new Option(`${show(s.name)} (${s.type})`, s.id, false, s.id === kit.activeSpace.id),
      ),
    );
    sourceSelect.replaceChildren(
      new Option('Empty', JSON.stringify({ kind: 'empty' })),
      new Option(
        `Copy from ${show(kit.activeSpace.name)}`,
        JSON.stringify({ kind: 'copy', fromSpaceId: kit.activeSpace.id }),
      ),
      ...kit.presets
        .list()
        .map((p) => new Option(show(p.name), JSON.stringify({ kind: 'preset', presetId: p.id }))),
    );
  }

  function renderSpace(space: Space): void {
    tagList.replaceChildren(
      ...space.tags.list().map((tag) => {
        const item = document.createElement('li');
        if (typeof tag.color === 'string') item.style.color = tag.color;
        item.textContent = `${show(tag.name)} `;
        const remove = document.createElement('button');
        remove.textContent = 'Delete';
        remove.setAttribute('aria-label', `Delete tag ${show(tag.name)}`);
        remove.addEventListener('click', () => {
          try {
            space.tags.remove(tag.id);
            ok();
          } catch (error) {
            fail(error);
          }
        });
        item.append(remove);
        return item;
      }),
    );
    const agents = space.agents.list().map((a) => show(a.name));
    $('agents').textContent = `Agents: ${agents.join(', ')}`;
    if (document.activeElement !== kontextArea) kontextArea.value = space.kontext.toString();
  }

  // "Saved on this device": pending from a change until IndexedDB has committed it.
  let savingOnDevice = false;
  let changes = 0;
  function renderSync(space: Space): void {
    const current = kit.sync?.statusOf(space.id)?.current;
    const parts = [
      kit.sync
        ? `Server: ${current ? connectionLabels[current.connection] : 'not connected'}`
        : 'Local only, no server',
      savingOnDevice ? '… saving on this device' : '✓ saved on this device',
    ];
    if (kit.sync) {
      parts.push(current?.savedOnServer ? '✓ saved on the server' : '… not yet on the server');
    }
    $('connection').textContent = parts.join(' · ');
  }
  function trackSave(space: Space): void {
    const change = ++changes;
    savingOnDevice = true;
    renderSync(space);
    kit.whenSavedOnDevice(space.id).then(
      () => {
        if (change !== changes) return;
        savingOnDevice = false;
        renderSync(space);
      },
      () => undefined, // the Space closed: the next Space renders its own state
    );
  }

  function renderPresence(space: Space): void {
    const presence = kit.sync?.presenceOf(space.id);
    const names = presence?.peers().map((peer) => peer.name) ?? [];
    $('presence').textContent = !kit.sync
      ? 'Presence needs the server.'
      : names.length > 0
        ? `Also here: ${names.join(', ')}.`
        : 'Nobody else is here right now (your own other windows are not listed).';
  }

  // Re-bind to every new active Space; the previous Space's observers go away with it.
  let unbind: (() => void)[] = [];
  kit.onActiveSpaceChanged((space) => {
    for (const off of unbind) off();
    const render = () => renderSpace(space);
    const changed = () => {
      render();
      trackSave(space);
    };
    const syncStatus = kit.sync?.statusOf(space.id);
    const presence = kit.sync?.presenceOf(space.id);
    unbind = [
      space.tags.observe(changed),
      space.agents.observe(changed),
      space.kontext.observe(changed),
      syncStatus?.subscribe(() => renderSync(space)) ?? (() => {}),
      presence?.subscribe(() => renderPresence(space)) ?? (() => {}),
    ];
    render();
    renderSpaces();
    renderSync(space);
    renderPresence(space);
  });
  kit.spaces.observe(renderSpaces);
  kit.presets.observe(renderSpaces);
  kit.onLockChanged(() => {
    renderLock();
    renderSpaces();
    renderSpace(kit.activeSpace);
  });
  userKeys.observe(renderLock);
  renderLock();
  addEventListener('pagehide', (event) => {
    // Leaving for good: close sockets at once so others see us go.
    if (!event.persisted) void kit.destroy();
  });

  $('unlock').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('lock-error').textContent = '';
    $<HTMLButtonElement>('unlock-button').disabled = true;
    $('lock-state').textContent = 'Unlocking…';
    try {
      // A first unlock before the server's copy of the user doc arrived would set a second
      // passphrase; wait a moment for it.
      if (!hasPassphrase()) await userDocFromServer(kit);
      await kit.unlock({ passphrase: passphraseInput.value });
      passphraseInput.value = '';
    } catch (error) {
      $('lock-error').textContent = (error as Error).message;
      passphraseInput.select();
    } finally {
      renderLock();
    }
  });
  $('lock').addEventListener('click', () => {
    kit.lock();
    passphraseInput.focus();
  });

  spaceSelect.addEventListener('change', () => {
    kit.switchSpace(spaceSelect.value).then(ok, fail);
  });

  $('create-space').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $<HTMLInputElement>('space-name').value;
    const type = $<HTMLSelectElement>('space-type').value as SpaceType;
    const tagSource = JSON.parse(sourceSelect.value) as TagSource;
    try {
      const created = await kit.spaces.create({ name, type, tagSource });
      await kit.switchSpace(created.id);
      $<HTMLInputElement>('space-name').value = '';
      ok();
    } catch (error) {
      fail(error);
    }
  });

  $('add-tag').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('tag-name');
    try {
      kit.activeSpace.tags.create({
        name: input.value,
        color: $<HTMLInputElement>('tag-color').value,
      });
      input.value = '';
      ok();
    } catch (error) {
      fail(error);
    }
  });

  $('undo').addEventListener('click', () => {
    try {
      kit.activeSpace.undo();
      ok();
    } catch (error) {
      fail(error);
    }
  });
  $('save-preset').addEventListener('click', () => {
    const name = `${show(kit.activeSpace.name)} tags`;
    kit.presets.fromSpace(kit.activeSpace.id, name).then(ok, fail);
  });

  // Plain textarea binding: replace the whole text on change (the real editor diffs keystrokes).
  kontextArea.addEventListener('change', () => {
    const { kontext } = kit.activeSpace;
    try {
      kontext.delete(0, kontext.length);
      kontext.insert(0, kontextArea.value);
      ok();
    } catch (error) {
      fail(error);
    }
  });
}

/** Settles once the user doc synced with the server, or after 5 s (offline: go ahead). */
function userDocFromServer(kit: Kit): Promise<void> {
  const synced = kit.sync?.userStatus?.whenSynced();
  if (!synced) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    synced.then(done, done);
  });
}
