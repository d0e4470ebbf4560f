import { expect, waitUntil } from '@open-wc/testing';
import { personalSpaceId } from '../../src/model/space.ts';
import { UnknownSpaceError } from '../../src/store/errors.ts';
import type { Space } from '../../src/store/space.ts';
import { cleanUp, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

describe('store: switching Spaces', () => {
  afterEach(cleanUp);

  it('runs the seed smoke test: tags per Space, presets copy with fresh ids', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const personal = kit.activeSpace;
    expect(personal.id).to.equal(personalSpaceId('ada'));
    const urgent = personal.tags.create({ name: 'Urgent', color: '#d33' });

    const family = await kit.spaces.create({ name: 'Family', type: 'family' });
    await kit.switchSpace(family.id);
    expect(kit.activeSpace.id).to.equal(family.id);
    expect(tagNames(kit)).to.deep.equal([]);

    await kit.switchSpace(personal.id);
    expect(tagNames(kit)).to.deep.equal(['Urgent']);

    const preset = await kit.presets.fromSpace(personal.id, 'My tags');
    const brand = await kit.spaces.create({
      name: 'Brand',
      type: 'brand',
      tagSource: { kind: 'preset', presetId: preset.id },
    });
    await kit.switchSpace(brand.id);
    const copied = kit.activeSpace.tags.list();
    expect(copied.map((tag) => tag.name)).to.deep.equal(['Urgent']);
    expect(copied[0].id).not.to.equal(urgent.id);
  });

  it('flips tags, scenes, agents, missions, context together; old observers quiet', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const a = kit.activeSpace;
    a.tags.create({ name: 'A-tag', color: '#111' });
    a.scenes.create({ title: 'A-scene' });
    a.missions.create({ agentId: 'default-agent', title: 'A-mission' });
    a.kontext.insert(0, 'Family plans live elsewhere');
    const team = await kit.spaces.create({ name: 'Team', type: 'team' });

    const fired: string[] = [];
    const note = (what: string) => () => fired.push(what);
    a.tags.observe(note('tags'));
    a.scenes.observe(note('scenes'));
    a.agents.observe(note('agents'));
    a.missions.observe(note('missions'));
    a.kontext.observe(note('kontext'));
    const seen: Space[] = [];
    kit.onActiveSpaceChanged((space) => seen.push(space));

    await kit.switchSpace(team.id);
    const b = kit.activeSpace;
    expect(seen.map((space) => space.id)).to.deep.equal([a.id, team.id]);
    expect(b.tags.list()).to.have.length(0);
    expect(b.scenes.list().map((scene) => scene.title)).to.deep.equal(['Overview']);
    expect(b.agents.list().map((agent) => agent.name)).to.deep.equal(['Team Assistant']);
    expect(b.missions.list()).to.have.length(0);
    expect(b.kontext.toString()).to.equal('');
    expect(kit.getKontextDocForActiveSpace()).to.equal(null);

    b.tags.create({ name: 'B-tag', color: '#222' });
    b.scenes.create({ title: 'B-scene' });
    b.agents.create({ name: 'Helper' });
    b.missions.create({ agentId: 'default-agent', title: 'B-mission' });
    b.kontext.insert(0, 'Team context');
    expect(fired).to.deep.equal([]);
    expect(kit.getKontextDocForActiveSpace()).to.deep.equal({
      spaceId: team.id,
      text: 'Team context',
    });

    await kit.switchSpace(a.id);
    expect(kit.getKontextDocForActiveSpace()?.text).to.equal('Family plans live elsewhere');
  });

  it('rejects an unknown Space id and keeps the active Space', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const before = kit.activeSpace;
    let changes = 0;
    kit.onActiveSpaceChanged(() => changes++);
    let error: unknown;
    await kit.switchSpace('no-such-space').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(UnknownSpaceError);
    expect((error as Error).message).to.contain('no-such-space');
    expect(kit.activeSpace).to.equal(before);
    expect(changes).to.equal(1);
  });

  it('keeps only the active Space and three recent ones open; list() opens none', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await kit.spaces.create({ name: `S${i}`, type: 'club' })).id);
    }
    for (const id of ids) await kit.switchSpace(id);
    expect(kit.internals.openSpaceIds()).to.have.length(4);
    expect(kit.internals.openSpaceIds()).to.include(ids[4]);
    expect(kit.internals.spaceDoc(ids[0])).to.equal(undefined);

    const open = kit.internals.openSpaceIds().join();
    expect(kit.spaces.list().map((s) => s.name)).to.deep.equal([
      'Personal',
      'S0',
      'S1',
      'S2',
      'S3',
      'S4',
    ]);
    expect(kit.internals.openSpaceIds().join()).to.equal(open);

    // An evicted Space reopens with its data.
    await kit.switchSpace(ids[0]);
    expect(kit.activeSpace.agents.list().map((agent) => agent.name)).to.deep.equal(['Club Helper']);
  });

  it('closes an evicted Space: handle read-only, observers detached, doc destroyed', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix(), recentSpaces: 1 });
    const first = kit.activeSpace;
    const doc = kit.internals.spaceDoc(first.id);
    first.tags.observe(() => {});
    expect(doc?.getMap('tags')._dEH.l.length).to.equal(1);
    const a = await kit.spaces.create({ name: 'A', type: 'team' });
    await kit.switchSpace(a.id);
    const b = await kit.spaces.create({ name: 'B', type: 'team' });
    await kit.switchSpace(b.id);

    expect(kit.internals.openSpaceIds()).to.deep.equal([a.id, b.id]);
    expect(first.closed).to.equal(true);
    expect(first.readOnlyReason).to.equal('closed');
    expect(doc?.getMap('tags')._dEH.l.length).to.equal(0);
    // Attachments are destroyed first (IndexedDB closes), then the document.
    await waitUntil(() => doc?.isDestroyed, 'the evicted doc is destroyed');
  });

  it('remembers the active scene per Space, with a fallback to the default scene', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    const a = kit.activeSpace;
    const x = a.scenes.create({ title: 'X' });
    const other = await kit.spaces.create({ name: 'B', type: 'team' });
    const b = await kit.switchSpace(other.id);
    const y = b.scenes.create({ title: 'Y' });
    expect(b.activeSceneId).to.equal('default-scene');

    await kit.switchSpace(a.id);
    a.setActiveSceneId(x.id);
    await kit.switchSpace(b.id);
    b.setActiveSceneId(y.id);
    await kit.switchSpace(a.id);
    expect(kit.activeSpace.activeSceneId).to.equal(x.id);
    await kit.destroy();

    const again = await startKit({ storagePrefix: prefix });
    expect(again.activeSpace.id).to.equal(a.id);
    expect(again.activeSpace.activeSceneId).to.equal(x.id);
    const b2 = await again.switchSpace(other.id);
    expect(b2.activeSceneId).to.equal(y.id);

    // A stale id (the scene was deleted) falls back to the default scene.
    b2.scenes.remove(y.id);
    expect(b2.activeSceneId).to.equal('default-scene');
    localStorage.setItem(`${prefix}:activeSceneId:${other.id}`, 'gone');
    expect(b2.activeSceneId).to.equal('default-scene');
  });
});
