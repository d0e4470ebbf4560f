// "Saved on this device": the document status turns false with a change and true only once
// IndexedDB committed it, so a new kit on the same storage sees the change.
import { expect } from '@open-wc/testing';
import { docStatus } from '../../src/sync/status.ts';
import { cleanUp, freshPrefix, startKit } from './store-fixtures.ts';

describe('sync: saved on this device', () => {
  afterEach(cleanUp);

  it('is false right after a change and true once IndexedDB holds it', async () => {
    const storagePrefix = freshPrefix();
    const kit = await startKit({ storagePrefix });
    const status = docStatus(kit.internals.spaceDoc(kit.activeSpace.id)!);
    await status.whenSavedLocally();

    const tag = kit.activeSpace.tags.create({ name: 'Saved', color: '#123456' });
    expect(status.current.savedLocally).to.equal(false);
    await status.whenSavedLocally();
    expect(status.current.savedLocally).to.equal(true);
    await kit.destroy();

    const reopened = await startKit({ storagePrefix });
    expect(reopened.activeSpace.tags.get(tag.id)?.name).to.equal('Saved');
  });
});
