import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import {
  cleanUp,
  exchange,
  freshPrefix,
  startKit,
  startSecondDevice,
  tagNames,
} from './store-fixtures.ts';

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

  it("undoes the local user's context edits, not a peer's concurrent ones", async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const peer = await startSecondDevice(kit);
    const doc = kit.internals.spaceDoc(kit.activeSpace.id) as Y.Doc;
    const peerDoc = peer.internals.spaceDoc(kit.activeSpace.id) as Y.Doc;
    const mine = kit.activeSpace.kontext;
    const theirs = peer.activeSpace.kontext;

    // Concurrent edits on both devices, then a sync.
    mine.insert(0, 'Sundays.');
    theirs.insert(0, 'Bring cake.');
    exchange(doc, peerDoc);
    expect(mine.toString()).to.equal(theirs.toString());
    expect(mine.toString()).to.have.length('Sundays.Bring cake.'.length);

    const local: boolean[] = [];
    const off = mine.observe((change) => local.push(change.local));
    kit.activeSpace.undo();
    off();
    expect(local).to.deep.equal([true]);
    expect(mine.toString()).to.equal('Bring cake.');
    expect(kit.activeSpace.canUndo()).to.equal(false);

    // The undo is a sealed log entry like any edit: the peer receives it.
    exchange(doc, peerDoc);
    expect(theirs.toString()).to.equal('Bring cake.');
    // The peer's own history is untouched by ours.
    peer.activeSpace.undo();
    expect(theirs.toString()).to.equal('');

    exchange(doc, peerDoc);
    kit.activeSpace.redo();
    exchange(doc, peerDoc);
    expect(theirs.toString()).to.equal('Sundays.');
  });

  it('interleaves context edits and record writes in one history, in time order', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    space.kontext.insert(0, 'one');
    const tag = space.tags.create({ name: 'A', color: '#000' });
    space.kontext.insert(3, ' two');
    space.tags.update(tag.id, { name: 'B' });

    space.undo();
    expect([space.kontext.toString(), tagNames(kit)]).to.deep.equal(['one two', ['A']]);
    space.undo();
    expect([space.kontext.toString(), tagNames(kit)]).to.deep.equal(['one', ['A']]);
    space.undo();
    expect([space.kontext.toString(), tagNames(kit)]).to.deep.equal(['one', []]);
    space.redo();
    space.redo();
    expect([space.kontext.toString(), tagNames(kit)]).to.deep.equal(['one two', ['A']]);

    // A new write makes the remaining redo (the rename) stale, across both documents.
    space.kontext.insert(0, '>');
    expect(space.canRedo()).to.equal(false);
    space.redo();
    expect(tagNames(kit)).to.deep.equal(['A']);
    space.undo();
    space.undo();
    expect([space.kontext.toString(), tagNames(kit)]).to.deep.equal(['one', ['A']]);
  });
});
