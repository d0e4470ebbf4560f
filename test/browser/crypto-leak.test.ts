// Acceptance 1: markers written into every sensitive field never reach IndexedDB in plaintext.
import { expect } from '@open-wc/testing';
import { encryptedFields } from '../../src/crypto/registry.ts';
import { recordCollections } from '../../src/store/records.ts';
import type { RecordCollection } from '../../src/store/records.ts';
import type { SpaceKit } from '../../src/store/space-kit.ts';
import { scanIndexedDb } from '../support/leak-scan.ts';
import { cleanUp, freshPrefix, startKit, testMasterKey } from './store-fixtures.ts';

const run = crypto.randomUUID().slice(0, 8);
const markers: string[] = [];
function marker(label: string): string {
  const value = `LEAK${run}${label}`;
  markers.push(value);
  return value;
}

/** Plaintext fields a create needs besides the sealed ones. */
function plainFields(kit: SpaceKit, collection: RecordCollection): Record<string, unknown> {
  switch (collection) {
    case 'tags':
    case 'tagGroups':
      return { color: '#123456' };
    case 'agents':
      return { name: 'Agent' };
    case 'missions':
      return { agentId: kit.activeSpace.agents.list()[0].id };
    default:
      return {};
  }
}

/** Creates one record per collection with a marker in every field the registry seals. */
function fillEverySealedField(kit: SpaceKit, round: string): Map<RecordCollection, string> {
  const ids = new Map<RecordCollection, string>();
  for (const collection of recordCollections) {
    const fields: Record<string, unknown> = plainFields(kit, collection);
    for (const field of encryptedFields(collection)) fields[field] = marker(`${round}${field}`);
    const handle = kit.activeSpace[collection] as unknown as {
      create(input: object): { id: string };
    };
    ids.set(collection, handle.create(fields).id);
  }
  return ids;
}

describe('crypto: nothing sensitive reaches IndexedDB in plaintext', () => {
  afterEach(cleanUp);

  it('finds no marker in any database after writes, edits, deletes, lock cycles and compaction', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    const space = await kit.spaces.create({ name: marker('spacename'), type: 'family' });
    await kit.switchSpace(space.id);
    await kit.spaces.rename(space.id, marker('renamed'));

    const first = fillEverySealedField(kit, 'a');
    fillEverySealedField(kit, 'b');
    const tags = kit.activeSpace.tags;
    tags.update(first.get('tags') as string, { name: marker('edited') });
    tags.remove(first.get('tags') as string);
    kit.activeSpace.missions.remove(first.get('missions') as string);
    kit.activeSpace.kontext.insert(0, marker('kontext'));
    kit.activeSpace.kontext.insert(0, marker('kontext2'));
    kit.activeSpace.kontext.delete(0, 4);
    const preset = await kit.presets.fromSpace(space.id, marker('preset'));
    kit.presets.rename(preset.id, marker('presetrenamed'));

    kit.lock();
    expect(kit.activeSpace.tags.list()[0].name).to.have.property('locked', true);
    await kit.unlock({ masterKey: testMasterKey });
    expect(kit.activeSpace.kontext.toString()).to.contain(`${run}kontext2`);
    await kit.internals.keys?.sweepSpace(space.id);
    await kit.whenSavedOnDevice();
    await kit.destroy();

    // Every database of the origin, not only this test's: nothing may hold a marker.
    expect(await scanIndexedDb(markers)).to.deep.equal([]);
  });

  it('finds a marker in a plaintext field (positive control)', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const color = `#${marker('color')}`;
    kit.activeSpace.tags.create({ name: 'sealed', color });
    await kit.whenSavedOnDevice();
    await kit.destroy();
    const hits = await scanIndexedDb([color.slice(1)]);
    expect(hits.map((hit) => hit.store)).to.include('updates');
  });
});
