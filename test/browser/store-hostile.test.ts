// A hostile or broken peer can write anything into a shared document. The kit must keep serving
// the well-formed records and never throw at the host because of junk it received.
import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { isLocked } from '../../src/crypto/field-codec.ts';
import { cleanUp, freshPrefix, startKit } from './store-fixtures.ts';

describe('store: junk from a peer', () => {
  afterEach(cleanUp);

  it('lists well-formed records and skips junk records, fields and keyring entries', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const good = space.tags.create({ name: 'Good', color: '#00aa00' });
    const doc = kit.internals.spaceDoc(space.id) as Y.Doc;

    // What a peer could send: a record that is not a map, a map without an id, wrong field
    // types, ciphertext-looking garbage, an unknown field, and junk in the keyring.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    peer.transact(() => {
      const tags = peer.getMap<unknown>('tags');
      tags.set('plain-string', 'not a record');
      tags.set('no-id', new Y.Map());
      const odd = new Y.Map<unknown>();
      tags.set('odd', odd);
      odd.set('id', 'odd');
      odd.set('name', 'enc:v1:1:AAAA');
      odd.set('sortOrder', 'first');
      odd.set('color', 42);
      odd.set('unknownField', 'x');
      peer.getMap<unknown>('keyring').set('1:mallory', { junk: true });
      peer.getMap<unknown>('keyring').set('not-an-entry', 7);
    });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'test-peer');

    const listed = space.tags.list();
    expect(listed.map((tag) => tag.id).sort()).to.deep.equal([good.id, 'odd'].sort());
    expect(space.tags.get('no-id')).to.equal(undefined);
    expect(space.tags.get('plain-string')).to.equal(undefined);
    expect(space.tags.get(good.id)?.name).to.equal('Good');
    // Garbage in a sealed field reads as a locked placeholder, never as the garbage itself.
    expect(isLocked(space.tags.get('odd')?.name)).to.equal(true);
    // The kit still writes, and a new tag reads back.
    const after = space.tags.create({ name: 'After junk', color: '#0000aa' });
    expect(space.tags.get(after.id)?.name).to.equal('After junk');
  });
});
