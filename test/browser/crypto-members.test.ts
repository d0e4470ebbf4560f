// Acceptance 3: two users share a Space; the joiner reads after a key share; after removal, new
// values are sealed under an epoch the removed member holds no key for.
import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { isLocked, LockedError } from '../../src/crypto/field-codec.ts';
import { openField } from '../../src/crypto/field-cipher.ts';
import type { MemberDirectory, MemberInfo } from '../../src/store/keys/members.ts';
import type { SpaceKit } from '../../src/store/space-kit.ts';
import { cleanUp, exchange, freshPrefix, startKit } from './store-fixtures.ts';

/** The server's member list, in memory: a test double for GET /spaces/:id/members. */
class MemoryDirectory implements MemberDirectory {
  readonly members = new Map<string, MemberInfo[]>();
  list(spaceId: string): Promise<readonly MemberInfo[]> {
    return Promise.resolve(this.members.get(spaceId) ?? []);
  }
}

/** What the sync layer does when the server lists a new Space for the user. */
function listSpaceFor(kit: SpaceKit, spaceId: string): void {
  kit.spaces.applyMembership([{ id: spaceId, type: 'family', role: 'member' }]);
}

describe('crypto: sharing a Space between two users', () => {
  afterEach(cleanUp);

  it('shares keys with a joining member; removal locks them out of a new epoch', async () => {
    const directory = new MemoryDirectory();
    const ada = await startKit({ storagePrefix: freshPrefix(), members: directory });
    const bob = await startKit({
      storagePrefix: freshPrefix(),
      user: { id: 'bob', name: 'Bob' },
      members: directory,
    });
    const summary = await ada.spaces.create({ name: 'Family', type: 'family' });
    const spaceId = summary.id;
    const space = await ada.switchSpace(spaceId);
    const before = space.tags.create({ name: 'Shared secret', color: '#111' });
    const sync = () =>
      exchange(ada.internals.spaceDoc(spaceId) as Y.Doc, bob.internals.spaceDoc(spaceId) as Y.Doc);

    listSpaceFor(bob, spaceId);
    const bobSpace = await bob.switchSpace(spaceId);
    sync();
    expect(bobSpace.tags.get(before.id)?.name).to.have.property('reason', 'missing-key');

    directory.members.set(spaceId, [
      { userId: 'ada', role: 'owner', publicKey: ada.publicKey },
      { userId: 'bob', role: 'member', publicKey: bob.publicKey },
    ]);
    expect(await ada.shareKeys(spaceId)).to.equal(1);
    expect(await ada.shareKeys(spaceId)).to.equal(0);
    sync();
    expect(bobSpace.tags.get(before.id)?.name).to.equal('Shared secret');
    const fromBob = bobSpace.tags.create({ name: 'From Bob', color: '#222' });
    sync();
    expect(space.tags.get(fromBob.id)?.name).to.equal('From Bob');

    directory.members.set(spaceId, [{ userId: 'ada', role: 'owner', publicKey: ada.publicKey }]);
    expect(await ada.rotateKeysAfterRemoval(spaceId, 'bob')).to.equal(2);
    const after = space.tags.create({ name: 'After removal', color: '#333' });
    expect(space.tags.get(before.id)?.name).to.equal('Shared secret');
    sync(); // the removed member obtains the ciphertext anyway

    const stored = bob.internals
      .spaceDoc(spaceId)
      ?.getMap<Y.Map<unknown>>('tags')
      .get(after.id)
      ?.get('name');
    expect(stored).to.match(/^enc:v1:2:/);
    expect(isLocked(bobSpace.tags.get(after.id)?.name)).to.equal(true);
    const context = { spaceId, collection: 'tags', recordId: after.id, field: 'name' };
    const bobKeys = bob.internals.keys?.spaceKeys;
    for (const epoch of [1, 2]) {
      const key = bobKeys?.keyFor(spaceId, epoch);
      if (key) expect(isLocked(openField(() => key, context, stored))).to.equal(true);
    }
    expect(bobKeys?.keyFor(spaceId, 2)).to.equal(undefined);
    expect(() => bobSpace.tags.create({ name: 'x', color: '#000' })).to.throw(LockedError);
  });

  it('reports key work that fails in the background, without throwing at the host', async () => {
    const failure = new Error('public-key endpoint unreachable');
    const kit = await startKit({
      storagePrefix: freshPrefix(),
      locked: true,
      publishPublicKey: () => Promise.reject(failure),
    });
    const reported: unknown[] = [];
    kit.onKeyTaskFailed((error) => reported.push(error));
    await kit.unlock({ masterKey: new Uint8Array(32).fill(7) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reported).to.deep.equal([failure]);
    expect(kit.locked).to.equal(false);
  });
});
