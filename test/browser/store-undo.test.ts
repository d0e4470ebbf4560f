import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { cleanUp, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

describe('store: undo and redo', () => {
  afterEach(cleanUp);

  it("undoes only the local user's own changes", async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    expect(space.canUndo()).to.equal(false);
    const mine = space.tags.create({ name: 'Mine', color: '#000' });

    // A collaborator's edit arrives through sync (another doc, another client id).
    const peer = new Y.Doc();
    const doc = kit.internals.spaceDoc(space.id) as Y.Doc;
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const theirs = new Y.Map<unknown>();
    peer.getMap('tags').set('theirs', theirs);
    theirs.set('id', 'theirs');
    theirs.set('name', 'Theirs');
    theirs.set('color', '#fff');
    theirs.set('sortOrder', 5);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'remote');

    space.tags.update(mine.id, { name: 'Mine, renamed' });
    expect(tagNames(kit)).to.deep.equal(['Mine, renamed', 'Theirs']);

    space.undo();
    expect(tagNames(kit)).to.deep.equal(['Mine', 'Theirs']);
    space.undo();
    expect(tagNames(kit)).to.deep.equal(['Theirs']);
    expect(space.canUndo()).to.equal(false);

    space.redo();
    space.redo();
    expect(tagNames(kit)).to.deep.equal(['Mine, renamed', 'Theirs']);
  });

  it('undoes a delete and a batch as one step, but not the bootstrap', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const tag = space.tags.create({ name: 'A', color: '#000' });
    space.tags.remove(tag.id);
    expect(tagNames(kit)).to.deep.equal([]);
    space.undo();
    expect(tagNames(kit)).to.deep.equal(['A']);

    space.batch(() => {
      space.tags.create({ name: 'B', color: '#000' });
      space.tags.create({ name: 'C', color: '#000' });
    });
    space.undo();
    expect(tagNames(kit)).to.deep.equal(['A']);
    space.undo();
    space.undo();
    expect(space.agents.list()).to.have.length(1);
    expect(space.scenes.list()).to.have.length(1);
  });

  it('reports local and remote changes to observers apart', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const changes: boolean[] = [];
    const off = space.tags.observe((change) => changes.push(change.local));
    const tag = space.tags.create({ name: 'A', color: '#000' });
    const doc = kit.internals.spaceDoc(space.id) as Y.Doc;
    doc.transact(
      () => doc.getMap<Y.Map<unknown>>('tags').get(tag.id)?.set('color', '#111'),
      'sync',
    );
    space.undo();
    off();
    space.tags.create({ name: 'B', color: '#000' });
    expect(changes).to.deep.equal([true, false, false]);
  });
});
