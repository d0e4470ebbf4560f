import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { isLocked, LockedError, lockedValue } from '../../src/crypto/field-codec.ts';
import type { FieldCodec, FieldContext } from '../../src/crypto/field-codec.ts';
import { SwitchableCodecSource } from '../../src/store/codecs.ts';
import { cleanUp, freshPrefix, startKit } from './store-fixtures.ts';

/** A stand-in cipher: wraps values with their context so misplacement is visible. */
const wrapping: FieldCodec = {
  seal: (context, value) => `sealed:${key(context)}:${JSON.stringify(value)}`,
  open: (context, stored) => {
    const prefix = `sealed:${key(context)}:`;
    if (typeof stored !== 'string' || !stored.startsWith(prefix)) return lockedValue('tampered');
    return JSON.parse(stored.slice(prefix.length));
  },
  isSealed: (stored) => typeof stored === 'string' && stored.startsWith('sealed:'),
};
const locked: FieldCodec = {
  seal: () => {
    throw new LockedError('locked', 'locked');
  },
  open: () => lockedValue('locked'),
  isSealed: wrapping.isSealed,
};
function key(context: FieldContext): string {
  return `${context.spaceId}/${context.collection}/${context.recordId}/${context.field}`;
}

describe('store: the codec seam', () => {
  afterEach(cleanUp);

  it('seals exactly the encrypted fields, bound to their place', async () => {
    const codecs = new SwitchableCodecSource(wrapping);
    const kit = await startKit({ storagePrefix: freshPrefix(), codecs });
    const space = kit.activeSpace;
    const tag = space.tags.create({ name: 'Urgent', color: '#f00' });
    space.kontext.insert(0, 'secret');
    expect(space.tags.get(tag.id)?.name).to.equal('Urgent');

    const doc = kit.internals.spaceDoc(space.id) as Y.Doc;
    const stored = doc.getMap<Y.Map<unknown>>('tags').get(tag.id);
    expect(stored?.get('name')).to.equal(`sealed:${space.id}/tags/${tag.id}/name:"Urgent"`);
    expect(stored?.get('color')).to.equal('#f00');
    expect(doc.getMap('meta').get('name')).to.match(/^sealed:/);
    expect(JSON.stringify(doc.getArray('kontextLog').toJSON())).not.to.contain('secret');
    const entry = kit.internals.userDoc.getMap<Y.Map<unknown>>('spaces').get(space.id);
    expect(entry?.get('name')).to.equal(`sealed:user:ada/spaceList/${space.id}/name:"Personal"`);
    expect(kit.spaces.list()[0].name).to.equal('Personal');
  });

  it('reads placeholders, never writes them nor while locked, refreshes on change', async () => {
    const codecs = new SwitchableCodecSource(wrapping);
    const kit = await startKit({ storagePrefix: freshPrefix(), codecs });
    const space = kit.activeSpace;
    const tag = space.tags.create({ name: 'Urgent', color: '#f00' });
    space.kontext.insert(0, 'secret');
    const reasons: string[] = [];
    space.tags.observe((change) => reasons.push(change.reason));

    const texts: string[] = [];
    space.kontext.observe(() => texts.push(space.kontext.toString()));
    codecs.set(locked);
    expect(reasons).to.deep.equal(['codec']);
    expect(space.kontext.toString()).to.equal('');
    expect(space.kontext.incomplete).to.equal(true);
    expect(kit.getKontextDocForActiveSpace()).to.equal(null);
    const read = space.tags.get(tag.id);
    expect(isLocked(read?.name)).to.equal(true);
    expect(read?.color).to.equal('#f00');
    expect(isLocked(kit.spaces.list()[0].name)).to.equal(true);
    expect(() => space.tags.update(tag.id, { name: read?.name as string })).to.throw(
      TypeError,
      'locked placeholder',
    );
    expect(() => space.tags.create({ name: 'New', color: '#000' })).to.throw(LockedError);
    expect(() => space.kontext.insert(0, 'x')).to.throw(LockedError);
    expect(space.tags.list()).to.have.length(1);

    codecs.set(wrapping);
    expect(space.tags.get(tag.id)?.name).to.equal('Urgent');
    expect(space.kontext.toString()).to.equal('secret');
    expect(texts).to.deep.equal(['', 'secret']);
  });
});
