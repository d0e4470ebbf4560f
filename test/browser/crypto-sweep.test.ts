// Acceptance 5: plaintext imported while locked is sealed by the sweep after unlock and the
// store compacted; a failing collection keeps no sentinel and is swept on the next unlock.
import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { sweepSentinelKey } from '../../src/store/keys/sweep.ts';
import { scanIndexedDb } from '../support/leak-scan.ts';
import { cleanUp, freshPrefix, startKit, testMasterKey } from './store-fixtures.ts';

describe('crypto: the at-rest sweep', () => {
  afterEach(cleanUp);

  it('seals imported plaintext after unlock, compacts, retries a failed collection', async () => {
    const run = crypto.randomUUID().slice(0, 8);
    const tagMarker = `SWEEP${run}tag`;
    const groupMarker = `SWEEP${run}group`;
    const prefix = freshPrefix();
    const mine = (name: string) => name.startsWith(`${prefix}:`);
    const kit = await startKit({ storagePrefix: prefix, locked: true });
    await kit.importLegacy({
      tags: [{ id: 't1', userId: 'ada', name: tagMarker, color: '#000' }],
      tagGroups: [{ id: 'g1', userId: 'ada', name: groupMarker, color: '#111' }],
    });
    const spaceId = kit.activeSpace.id;
    const doc = kit.internals.spaceDoc(spaceId) as Y.Doc;
    const storedName = (collection: string) =>
      [...doc.getMap<Y.Map<unknown>>(collection).values()][0].get('name');
    expect(storedName('tags')).to.equal(tagMarker);
    await kit.whenSavedOnDevice();
    expect((await scanIndexedDb([tagMarker], mine)).length).to.be.greaterThan(0);

    const keys = kit.internals.keys!;
    keys.beforeSweepCollection = (_space, collection) => {
      if (collection === 'tagGroups') throw new Error('simulated failure');
    };
    await kit.unlock({ masterKey: testMasterKey });
    expect(storedName('tags')).to.match(/^enc:v1:/);
    expect(storedName('tagGroups')).to.equal(groupMarker);
    expect(localStorage.getItem(sweepSentinelKey(`${prefix}:ada`, spaceId, 'tags'))).to.be.a(
      'string',
    );
    expect(localStorage.getItem(sweepSentinelKey(`${prefix}:ada`, spaceId, 'tagGroups'))).to.equal(
      null,
    );
    await kit.whenSavedOnDevice();
    const hits = await scanIndexedDb([tagMarker, groupMarker], mine);
    expect(hits.map((hit) => hit.marker)).to.deep.equal([groupMarker]);

    keys.beforeSweepCollection = undefined;
    kit.lock();
    await kit.unlock({ masterKey: testMasterKey });
    expect(storedName('tagGroups')).to.match(/^enc:v1:/);
    expect(kit.activeSpace.tagGroups.list()[0].name).to.equal(groupMarker);
    expect(kit.activeSpace.tags.list()[0].name).to.equal(tagMarker);
    await kit.whenSavedOnDevice();
    expect(await scanIndexedDb([tagMarker, groupMarker], mine)).to.deep.equal([]);
  });
});
