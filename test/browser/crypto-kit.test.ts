// The kit's keys in real Chromium: passphrase unlock across devices (acceptance 4), tampering
// read through the API (acceptance 2), lazy decryption, and live lock/unlock.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import type { CipherCodec } from '../../src/crypto/cipher-codec.ts';
import { isLocked, LockedError } from '../../src/crypto/field-codec.ts';
import { WrongPassphraseError } from '../../src/crypto/master-key.ts';
import { cleanUp, exchange, freshPrefix, startKit } from './store-fixtures.ts';

// Cheap scrypt for tests; the parameters travel with the wrap, so the second device uses them.
const scryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('crypto: the kit unlocks, locks and reads sealed fields', () => {
  afterEach(cleanUp);

  it('a second device unlocks with the synced passphrase; a wrong one writes nothing', async () => {
    const first = await startKit({ storagePrefix: freshPrefix(), locked: true, scryptParams });
    expect(first.locked).to.equal(true);
    await first.unlock({ passphrase: 'correct horse' });
    const tag = first.activeSpace.tags.create({ name: 'Secret', color: '#111' });

    const second = await startKit({ storagePrefix: freshPrefix(), locked: true, scryptParams });
    exchange(first.internals.userDoc, second.internals.userDoc);
    const spaceId = first.activeSpace.id;
    exchange(
      first.internals.spaceDoc(spaceId) as Y.Doc,
      second.internals.spaceDoc(spaceId) as Y.Doc,
    );
    expect(isLocked(second.activeSpace.tags.get(tag.id)?.name)).to.equal(true);

    const before = Y.encodeStateVector(second.internals.userDoc);
    let error: unknown;
    await second.unlock({ passphrase: 'wrong horse' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(WrongPassphraseError);
    expect(second.locked).to.equal(true);
    expect(Y.encodeStateVector(second.internals.userDoc)).to.deep.equal(before);

    const seen: boolean[] = [];
    second.onLockChanged((locked) => seen.push(locked));
    await second.unlock({ passphrase: 'correct horse' });
    expect(second.locked).to.equal(false);
    expect(seen).to.deep.equal([false]);
    expect(second.activeSpace.tags.get(tag.id)?.name).to.equal('Secret');
    expect(second.publicKey).to.equal(first.publicKey);
  });

  it('reads tampered, moved, foreign ciphertext as locked "tampered", never throwing', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const other = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const a = space.tags.create({ name: 'Alpha', color: '#111', icon: 'star' });
    const b = space.tags.create({ name: 'Beta', color: '#222' });
    const foreign = other.activeSpace.tags.create({ name: 'Gamma', color: '#333' });
    const doc = kit.internals.spaceDoc(space.id) as Y.Doc;
    const tags = doc.getMap<Y.Map<unknown>>('tags');
    const stored = (id: string, field: string) => tags.get(id)?.get(field) as string;
    const otherStored = other.internals
      .spaceDoc(other.activeSpace.id)
      ?.getMap<Y.Map<unknown>>('tags')
      .get(foreign.id)
      ?.get('name');

    const flipped = stored(a.id, 'name');
    const last = flipped.at(-1) === 'A' ? 'B' : 'A';
    doc.transact(() => {
      tags.get(a.id)?.set('name', flipped.slice(0, -1) + last); // a flipped bit
      tags.get(b.id)?.set('name', stored(a.id, 'icon')); // moved from another field
      tags.get(a.id)?.set('icon', otherStored); // from another Space, another key
    }, 'attacker');

    for (const value of [
      space.tags.get(a.id)?.name,
      space.tags.get(b.id)?.name,
      space.tags.get(a.id)?.icon,
    ]) {
      expect(isLocked(value)).to.equal(true);
      expect(value).to.have.property('reason', 'tampered');
    }
    expect(JSON.stringify(space.tags.list())).not.to.contain('enc:v1');
  });

  it('decrypts lazily: 10,000 tags listed, 60 names read, 60 opened once', async function () {
    // Ten thousand sealed writes take a few seconds on a loaded two-core machine.
    this.timeout(60_000);
    const kit = await startKit({ storagePrefix: freshPrefix(), persistence: false });
    const space = kit.activeSpace;
    space.batch(() => {
      for (let i = 0; i < 10_000; i++) space.tags.create({ name: `Tag ${i}`, color: '#000' });
    });
    kit.lock(); // forget the writer's cache, so reads must decrypt
    await kit.unlock({ masterKey: new Uint8Array(32).fill(7) });
    const codec = kit.internals.keys?.codec as CipherCodec;
    codec.resetStats();

    const list = space.tags.list();
    expect(list).to.have.length(10_000);
    expect(codec.stats.decryptions).to.equal(0);
    const names = list.slice(100, 160).map((tag) => tag.name);
    expect(names[0]).to.equal('Tag 100');
    expect(codec.stats.decryptions).to.equal(60);
    space.tags
      .list()
      .slice(100, 160)
      .forEach((tag) => tag.name);
    expect(codec.stats.decryptions).to.equal(60);
    expect(codec.stats.cacheHits).to.equal(60);
  });

  it('locks live: placeholders for values, writes refused, values back on unlock', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const tag = space.tags.create({ name: 'Urgent', color: '#f00' });
    space.kontext.insert(0, 'Our plan');
    const reasons: string[] = [];
    space.tags.observe((change) => reasons.push(change.reason));

    kit.lock();
    expect(kit.locked).to.equal(true);
    expect(space.tags.get(tag.id)?.name).to.have.property('reason', 'locked');
    expect(space.kontext.toString()).to.equal('');
    expect(() => space.tags.create({ name: 'x', color: '#000' })).to.throw(LockedError);
    expect(() => space.tags.update(tag.id, { name: 'y' })).to.throw(LockedError);
    expect(space.tags.list()).to.have.length(1);

    await kit.unlock({ masterKey: new Uint8Array(32).fill(7) });
    expect(space.tags.get(tag.id)?.name).to.equal('Urgent');
    expect(space.kontext.toString()).to.equal('Our plan');
    expect(reasons).to.include('codec');
  });
});
