import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { cleanUp, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

/** Every record map of every collection in a Space doc, as plain data. */
function allRecords(doc: Y.Doc): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const name of ['tags', 'tagGroups', 'scenes', 'agents', 'missions']) {
    for (const record of doc.getMap<Y.Map<unknown>>(name).values()) records.push(record.toJSON());
  }
  records.push(doc.getMap('meta').toJSON());
  for (const entry of doc.getArray<Record<string, unknown>>('kontextLog').toArray()) {
    records.push(entry);
  }
  return records;
}

describe('store: persistence and reload', () => {
  afterEach(cleanUp);

  it('restores every Space, its data and the active Space in a new kit', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    kit.activeSpace.tags.create({ name: 'Urgent', color: '#d33' });
    kit.activeSpace.kontext.insert(0, 'personal notes');
    const family = await kit.spaces.create({ name: 'Family', type: 'family' });
    const space = await kit.switchSpace(family.id);
    const group = space.tagGroups.create({ name: 'Chores', color: '#0a0' });
    space.tags.create({ name: 'Dishes', color: '#0a0', groupId: group.id });
    space.missions.create({ agentId: 'default-agent', title: 'Plan the week' });
    await kit.whenSavedOnDevice();
    await kit.destroy();

    const again = await startKit({ storagePrefix: prefix });
    expect(again.spaces.list().map((s) => [s.name, s.type])).to.deep.equal([
      ['Personal', 'personal'],
      ['Family', 'family'],
    ]);
    expect(again.activeSpace.id).to.equal(family.id);
    expect(tagNames(again)).to.deep.equal(['Dishes']);
    expect(again.activeSpace.tags.list()[0].groupId).to.equal(group.id);
    expect(again.activeSpace.missions.list().map((m) => m.title)).to.deep.equal(['Plan the week']);
    expect(again.activeSpace.agents.list()).to.have.length(1);

    const personal = again.spaces.list()[0].id;
    await again.switchSpace(personal);
    expect(tagNames(again)).to.deep.equal(['Urgent']);
    expect(again.activeSpace.kontext.toString()).to.equal('personal notes');
  });

  it('keeps two users of one origin apart', async () => {
    const prefix = freshPrefix();
    const ada = await startKit({ storagePrefix: prefix, user: { id: 'ada', name: 'Ada' } });
    ada.activeSpace.tags.create({ name: 'Ada only', color: '#000' });
    await ada.destroy();
    const bob = await startKit({ storagePrefix: prefix, user: { id: 'bob', name: 'Bob' } });
    expect(bob.activeSpace.id).to.equal('personal-bob');
    expect(tagNames(bob)).to.deep.equal([]);
    const names = (await indexedDB.databases()).map((db) => db.name);
    expect(names).to.include(`${prefix}:ada:space:personal-ada`);
    expect(names).to.include(`${prefix}:bob:user`);
  });

  it('stamps __lastActor on every record and never writes a userId', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const space = kit.activeSpace;
    const tag = space.tags.create({ name: 'A', color: '#000' });
    space.tags.update(tag.id, { color: '#fff' });
    space.tagGroups.create({ name: 'G', color: '#000' });
    space.scenes.create({ title: 'S', scopeTagIds: [tag.id] });
    space.agents.create({ name: 'Helper' });
    space.missions.create({ agentId: 'default-agent', title: 'M' });
    space.kontext.insert(0, 'text');
    space.tags.remove(tag.id);
    await kit.importLegacy({
      tags: [{ id: 'old', userId: 'ada', name: 'Old', color: '#123' }],
    });

    const records = allRecords(kit.internals.spaceDoc(space.id) as Y.Doc);
    expect(records.length).to.be.greaterThan(8);
    for (const record of records) {
      expect(JSON.stringify(record)).not.to.contain('userId');
      expect(record.__lastActor, JSON.stringify(record)).to.deep.equal({
        kind: 'user',
        principalId: 'ada',
        displayName: 'Ada',
      });
    }
    const stored = kit.internals.spaceDoc(space.id)?.getMap<Y.Map<unknown>>('tags').get(tag.id);
    expect((stored?.get('__fieldActors') as Y.Map<unknown>).get('color')).to.deep.equal({
      kind: 'user',
      principalId: 'ada',
      displayName: 'Ada',
    });
    expect(stored?.get('deletedAt')).to.be.a('number');
    expect(space.tags.get(tag.id)).to.equal(undefined);
    expect(space.tags.get(tag.id, { includeDeleted: true })?.name).to.equal('A');
  });
});
