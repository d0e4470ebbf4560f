import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { ReadOnlySpaceError } from '../../src/store/errors.ts';
import { CURRENT_SCHEMA_VERSION } from '../../src/store/schema.ts';
import { cleanUp, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

function expectReadOnly(write: () => unknown, reason: string): void {
  let error: unknown;
  try {
    write();
  } catch (e) {
    error = e;
  }
  expect(error).to.be.instanceOf(ReadOnlySpaceError);
  expect((error as ReadOnlySpaceError).reason).to.equal(reason);
}

describe('store: schema version, drift check and read-only Spaces', () => {
  afterEach(cleanUp);

  it('writes the schema version into every Space doc', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const team = await kit.spaces.create({ name: 'T', type: 'team' });
    for (const id of [kit.activeSpace.id, team.id]) {
      const doc = kit.internals.spaceDoc(id) as Y.Doc;
      expect(doc.getMap('meta').get('schemaVersion')).to.equal(CURRENT_SCHEMA_VERSION);
      expect(doc.getMap('meta').get('type')).to.be.a('string');
    }
  });

  it('rejects an unclassified field with a TypeError and writes nothing', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const tags = kit.activeSpace.tags;
    const write = () => tags.create({ name: 'x', color: '#000', userId: 'ada' } as never);
    expect(write).to.throw(TypeError, 'Unclassified field "userId" in collection "tags"');
    expect(tags.list()).to.have.length(0);
    const tag = tags.create({ name: 'ok', color: '#000' });
    expect(() => tags.update(tag.id, { mood: 'x' } as never)).to.throw(TypeError, '"mood"');
    expect(() => tags.update(tag.id, { id: 'other' } as never)).to.throw(TypeError, '"id"');
    expect(tags.get(tag.id)?.name).to.equal('ok');
  });

  it('opens a document from a newer schema read-only, also after reload', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    const space = kit.activeSpace;
    space.tags.create({ name: 'Before', color: '#000' });
    // A newer kit on another device raised the version; the update arrives as a remote one.
    const newer = new Y.Doc();
    Y.applyUpdate(newer, Y.encodeStateAsUpdate(kit.internals.spaceDoc(space.id) as Y.Doc));
    newer.getMap('meta').set('schemaVersion', CURRENT_SCHEMA_VERSION + 1);
    newer.getMap('meta').set('futureField', 'x');
    Y.applyUpdate(
      kit.internals.spaceDoc(space.id) as Y.Doc,
      Y.encodeStateAsUpdate(newer),
      'remote',
    );

    expect(space.readOnly).to.equal(true);
    expect(space.readOnlyReason).to.equal('newer-schema');
    expectReadOnly(() => space.tags.create({ name: 'After', color: '#000' }), 'newer-schema');
    expectReadOnly(() => space.kontext.insert(0, 'x'), 'newer-schema');
    expect(tagNames(kit)).to.deep.equal(['Before']);
    await kit.whenSavedOnDevice();
    await kit.destroy();

    const again = await startKit({ storagePrefix: prefix });
    expect(again.activeSpace.readOnlyReason).to.equal('newer-schema');
    expect(tagNames(again)).to.deep.equal(['Before']);
    const meta = again.internals.spaceDoc(space.id)?.getMap('meta');
    expect(meta?.get('schemaVersion')).to.equal(CURRENT_SCHEMA_VERSION + 1);
  });

  it('makes a viewer read-only from the Space list role', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const club = await kit.spaces.create({ name: 'Club', type: 'club' });
    const space = await kit.switchSpace(club.id);
    const entry = kit.internals.userDoc.getMap<Y.Map<unknown>>('spaces').get(club.id);
    entry?.set('role', 'viewer');
    expect(space.readOnlyReason).to.equal('viewer');
    expectReadOnly(() => space.tags.create({ name: 'x', color: '#000' }), 'viewer');
    expect(kit.spaces.get(club.id)?.role).to.equal('viewer');
  });

  it('rejects writes through a handle that was closed', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    await kit.destroy();
    expectReadOnly(() => space.tags.create({ name: 'x', color: '#000' }), 'closed');
  });
});
