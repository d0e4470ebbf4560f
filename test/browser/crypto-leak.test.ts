// Acceptance 1: markers written into every sensitive field never reach IndexedDB in plaintext.
import { expect } from '@open-wc/testing';
import { LeakMarkers } from '../support/leak-markers.ts';
import { scanIndexedDb } from '../support/leak-scan.ts';
import { cleanUp, freshPrefix, startKit, testMasterKey } from './store-fixtures.ts';

const leak = new LeakMarkers();

describe('crypto: nothing sensitive reaches IndexedDB in plaintext', () => {
  afterEach(cleanUp);

  it('finds no marker after writes, edits, deletes, lock cycles and compaction', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    const space = await kit.spaces.create({ name: leak.marker('spacename'), type: 'family' });
    await kit.switchSpace(space.id);
    await kit.spaces.rename(space.id, leak.marker('renamed'));

    const first = leak.fillEverySealedField(kit, 'a');
    leak.fillEverySealedField(kit, 'b');
    const tags = kit.activeSpace.tags;
    tags.update(first.get('tags') as string, { name: leak.marker('edited') });
    tags.remove(first.get('tags') as string);
    kit.activeSpace.missions.remove(first.get('missions') as string);
    kit.activeSpace.kontext.insert(0, leak.marker('kontext'));
    const kontextMarker = leak.marker('kontext2');
    kit.activeSpace.kontext.insert(0, kontextMarker);
    kit.activeSpace.kontext.delete(0, 4);
    const preset = await kit.presets.fromSpace(space.id, leak.marker('preset'));
    kit.presets.rename(preset.id, leak.marker('presetrenamed'));

    kit.lock();
    expect(kit.activeSpace.tags.list()[0].name).to.have.property('locked', true);
    await kit.unlock({ masterKey: testMasterKey });
    // The first 4 characters were deleted above.
    expect(kit.activeSpace.kontext.toString()).to.contain(kontextMarker.slice(4));
    await kit.internals.keys?.sweepSpace(space.id);
    await kit.whenSavedOnDevice();
    await kit.destroy();

    // Every database of the origin, not only this test's: nothing may hold a marker.
    expect(await scanIndexedDb(leak.all)).to.deep.equal([]);
  });

  it('finds a marker in a plaintext field (positive control)', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const color = `#${leak.control('color')}`;
    kit.activeSpace.tags.create({ name: 'sealed', color });
    await kit.whenSavedOnDevice();
    await kit.destroy();
    const hits = await scanIndexedDb([color.slice(1)]);
    expect(hits.map((hit) => hit.store)).to.include('updates');
  });
});
