// Two devices of one owner that open a new Space before its keyring synced: both seal the same
// epoch-1 key (derived from the owner's master key), so after the merge each reads the other's
// values, and nothing either wrote is sealed with a key the other lacks.
import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { cleanUp, exchange, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

describe('crypto: devices of one owner converge on one Space key', () => {
  afterEach(cleanUp);

  it('reads every value after two devices created the keyring of one Space offline', async () => {
    const first = await startKit({ storagePrefix: freshPrefix() });
    const second = await startKit({ storagePrefix: freshPrefix() });
    exchange(first.internals.userDoc, second.internals.userDoc);

    const space = await first.spaces.create({ name: 'Team', type: 'team' });
    await first.switchSpace(space.id);
    first.activeSpace.tags.create({ name: 'From the first device', color: '#111111' });

    // The second device learns the Space from the synced user doc, but not its document.
    exchange(first.internals.userDoc, second.internals.userDoc);
    await second.switchSpace(space.id);
    second.activeSpace.tags.create({ name: 'From the second device', color: '#222222' });

    exchange(
      first.internals.spaceDoc(space.id) as Y.Doc,
      second.internals.spaceDoc(space.id) as Y.Doc,
    );
    const expected = ['From the first device', 'From the second device'];
    expect([...tagNames(first)].sort()).to.deep.equal(expected);
    expect([...tagNames(second)].sort()).to.deep.equal(expected);

    // New writes after the merge stay readable on both sides.
    const later = second.activeSpace.tags.create({ name: 'After the merge', color: '#333333' });
    exchange(
      first.internals.spaceDoc(space.id) as Y.Doc,
      second.internals.spaceDoc(space.id) as Y.Doc,
    );
    expect(first.activeSpace.tags.get(later.id)?.name).to.equal('After the merge');
  });
});
