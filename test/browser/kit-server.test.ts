// End to end in Chromium: kits syncing with a real server on loopback. What the server stores
// holds no sealed value in plaintext, and a member removed over the server is locked out of what
// is written after the removal (while keeping what they could read before; docs/security.md).
import { expect } from '@open-wc/testing';
import { LeakMarkers } from '../support/leak-markers.ts';
import * as Y from 'yjs';
import { isLocked, LockedError } from '../../src/crypto/field-codec.ts';
import type { Kit } from '../../src/kit.ts';
import { ConnectionState } from '../../src/sync/status.ts';
import {
  cleanUpKits,
  scanServer,
  startServer,
  startServerKit,
  until,
} from './kit-server-fixtures.ts';

const leak = new LeakMarkers();

/** Resolves once the active Space's tag `id` reads `name` (checked on every change). */
function tagReads(kit: Kit, id: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`tag ${id} never read ${name}`));
    }, 5000);
    const check = () => {
      if (kit.activeSpace.tags.get(id)?.name !== name) return;
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = kit.activeSpace.tags.observe(check);
    check();
  });
}

describe('kit with a real server', () => {
  afterEach(cleanUpKits);

  it('stores no sealed value in plaintext on the server, and the scan sees plaintext', async () => {
    const server = await startServer();
    const ada = await startServerKit(server, { id: 'ada', name: 'Ada' });
    const sync = ada.sync!;
    const space = await ada.spaces.create({ name: leak.marker('spacename'), type: 'team' });
    await sync.registerSpace(space.id, space.type);
    await ada.switchSpace(space.id);
    await ada.spaces.rename(space.id, leak.marker('renamed'));

    const first = leak.fillEverySealedField(ada, 'a');
    leak.fillEverySealedField(ada, 'b');
    ada.activeSpace.tags.update(first.get('tags') as string, { name: leak.marker('edited') });
    ada.activeSpace.tags.remove(first.get('tags') as string);
    ada.activeSpace.missions.remove(first.get('missions') as string);
    ada.activeSpace.kontext.insert(0, leak.marker('kontext'));
    ada.activeSpace.kontext.insert(0, leak.marker('kontext2'));
    ada.activeSpace.kontext.delete(0, 4);
    const preset = await ada.presets.fromSpace(space.id, leak.marker('preset'));
    ada.presets.rename(preset.id, leak.marker('presetrenamed'));
    // Positive control: a tag colour is plaintext by design, so the scan must find it.
    const control = leak.control('color');
    ada.activeSpace.tags.create({ name: 'sealed', color: `#${control}` });

    await Promise.all([
      sync.statusOf(space.id)!.whenSavedOnServer(),
      sync.userStatus!.whenSavedOnServer(),
    ]);
    const scan = await scanServer(server, [...leak.all, control]);

    expect(scan.files).to.be.greaterThan(0);
    expect(scan.found.map((hit) => hit.marker)).to.include(control);
    expect(scan.found.filter((hit) => hit.marker !== control)).to.deep.equal([]);
  });

  it('locks a member removed over the server out of the new epoch, keeping the old', async () => {
    const server = await startServer();
    const ada = await startServerKit(server, { id: 'ada', name: 'Ada' });
    const bob = await startServerKit(server, { id: 'bob', name: 'Bob' });
    await until(
      async () => (await ada.sync!.api.getPublicKey('bob')) === bob.publicKey,
      "bob's public key on the server",
    );

    const space = await ada.spaces.create({ name: 'Team', type: 'team' });
    await ada.sync!.registerSpace(space.id, space.type);
    const adaSpace = await ada.switchSpace(space.id);
    const before = adaSpace.tags.create({ name: 'Before removal', color: '#111111' });
    await ada.members!.add(space.id, 'bob', 'member');

    // The server tells Bob's open user-doc socket; nobody asks for the list by hand.
    await until(() => bob.spaces.get(space.id)?.role === 'member', "the Space in bob's list");
    await bob.switchSpace(space.id);
    const bobStatus = bob.sync!.statusOf(space.id)!;
    await bobStatus.whenSynced();
    await tagReads(bob, before.id, 'Before removal');

    await ada.members!.remove(space.id, 'bob');
    const removedAt = Date.now();
    await until(
      () => bobStatus.current.connection === ConnectionState.revoked,
      "bob's connection revoked",
      1000,
    );
    expect(Date.now() - removedAt).to.be.lessThan(1000);

    const after = adaSpace.tags.create({ name: 'After removal', color: '#333333' });
    expect(adaSpace.tags.get(after.id)?.name).to.equal('After removal');
    const adaDoc = ada.internals.spaceDoc(space.id) as Y.Doc;
    // Bob obtains the stored bytes anyway (a copy, a leak): the new tag stays sealed to him.
    Y.applyUpdate(bob.internals.spaceDoc(space.id) as Y.Doc, Y.encodeStateAsUpdate(adaDoc));

    expect(isLocked(bob.activeSpace.tags.get(after.id)?.name)).to.equal(true);
    // Limit (documented): a removed member keeps what they could read before the removal.
    expect(bob.activeSpace.tags.get(before.id)?.name).to.equal('Before removal');
  });

  it('refuses a locked legacy import, so its plaintext never reaches the server', async () => {
    const server = await startServer();
    const masterKey = crypto.getRandomValues(new Uint8Array(32));
    const ada = await startServerKit(server, { id: 'ada', name: 'Ada' }, masterKey);
    const secret = leak.marker('legacyname');
    const data = { tags: [{ id: 'old-1', userId: 'ada', name: secret, color: '#000000' }] };

    ada.lock();
    let refused: unknown;
    await ada.importLegacy(data).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(LockedError);
    expect(ada.activeSpace.tags.list().map((tag) => tag.color)).not.to.include('#000000');

    await ada.unlock({ masterKey: masterKey.slice() });
    await ada.importLegacy(data);
    const personal = ada.activeSpace.id;
    await ada.sync!.statusOf(personal)!.whenSavedOnServer();
    expect(ada.activeSpace.tags.list().map((tag) => tag.name)).to.include(secret);
    expect((await scanServer(server, [secret])).found).to.deep.equal([]);
  });

  it('a second device unlocks with the passphrase from the server-synced user doc', async () => {
    const server = await startServer();
    const ada = { id: 'ada', name: 'Ada' };
    const first = await startServerKit(server, ada, null);
    await first.unlock({ passphrase: 'correct horse battery staple' });
    const tag = first.activeSpace.tags.create({ name: 'Synced secret', color: '#445566' });
    await Promise.all([
      first.sync!.statusOf(first.activeSpace.id)!.whenSavedOnServer(),
      first.sync!.userStatus!.whenSavedOnServer(),
    ]);

    const second = await startServerKit(server, ada, null);
    await second.sync!.statusOf(second.activeSpace.id)!.whenSynced();
    expect(isLocked(second.activeSpace.tags.get(tag.id)?.name)).to.equal(true);
    let wrong: unknown;
    await second.unlock({ passphrase: 'wrong horse' }).catch((error: unknown) => (wrong = error));
    expect(wrong).to.have.property('name', 'WrongPassphraseError');
    await second.unlock({ passphrase: 'correct horse battery staple' });
    expect(second.activeSpace.tags.get(tag.id)?.name).to.equal('Synced secret');
  });
});
