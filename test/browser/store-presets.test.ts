import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { cleanUp, freshPrefix, startKit, tagNames } from './store-fixtures.ts';

describe('store: presets and tag copies', () => {
  afterEach(cleanUp);

  it('creates, renames, sets a single default and deletes presets', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const a = kit.presets.create({ name: 'A', tags: [{ name: 'x', color: '#000' }] });
    const b = kit.presets.create({ name: 'B', tags: [], isDefault: true });
    kit.presets.rename(a.id, 'A2');
    expect(kit.presets.list().map((p) => [p.name, p.isDefault])).to.deep.equal([
      ['A2', false],
      ['B', true],
    ]);
    kit.presets.setDefault(a.id);
    expect(kit.presets.default?.id).to.equal(a.id);
    expect(kit.presets.list().filter((p) => p.isDefault)).to.have.length(1);
    kit.presets.setDefault(null);
    expect(kit.presets.default).to.equal(undefined);
    kit.presets.remove(b.id);
    expect(kit.presets.list().map((p) => p.name)).to.deep.equal(['A2']);
    expect(() => kit.presets.rename(b.id, 'gone')).to.throw(/No record/);
  });

  it('shows at most one default when two devices set different defaults offline', async () => {
    const prefix = freshPrefix();
    const one = await startKit({ storagePrefix: prefix });
    const p1 = one.presets.create({ name: 'P1', tags: [] });
    const p2 = one.presets.create({ name: 'P2', tags: [] });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(one.internals.userDoc));
    one.presets.setDefault(p1.id);
    // The other device flags P2 while offline.
    other.getMap<Y.Map<unknown>>('presets').get(p2.id)?.set('isDefault', true);
    other
      .getMap<Y.Map<unknown>>('presets')
      .get(p2.id)
      ?.set('updatedAt', Date.now() + 1000);
    Y.applyUpdate(one.internals.userDoc, Y.encodeStateAsUpdate(other), 'remote');
    const defaults = one.presets.list().filter((p) => p.isDefault);
    expect(defaults.map((p) => p.id)).to.deep.equal([p2.id]);
  });

  it('applies a preset with fresh ids and groups recreated or reused by name', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const personal = kit.activeSpace;
    const work = personal.tagGroups.create({ name: 'Work', color: '#00f' });
    personal.tags.create({ name: 'Call', color: '#00f', groupId: work.id, icon: 'phone' });
    personal.tags.create({ name: 'Loose', color: '#999' });
    const preset = await kit.presets.fromSpace(personal.id, 'Mine');
    expect(preset.tags).to.deep.equal([
      { name: 'Call', color: '#00f', icon: 'phone', groupName: 'Work' },
      { name: 'Loose', color: '#999' },
    ]);

    const team = await kit.spaces.create({ name: 'Team', type: 'team' });
    const target = await kit.switchSpace(team.id);
    const existing = target.tagGroups.create({ name: 'Work', color: '#0ff' });
    expect(await kit.presets.applyToSpace(preset.id, team.id)).to.equal(2);
    const [call, loose] = target.tags.list();
    expect(call.groupId).to.equal(existing.id);
    expect(loose.groupId).to.equal(undefined);
    expect(target.tagGroups.list()).to.have.length(1);

    const brand = await kit.spaces.create({
      name: 'Brand',
      type: 'brand',
      tagSource: { kind: 'preset', presetId: preset.id },
    });
    const made = await kit.switchSpace(brand.id);
    const [group] = made.tagGroups.list();
    expect(group.name).to.equal('Work');
    expect(group.id).not.to.equal(work.id);
    expect(made.tags.list()[0].groupId).to.equal(group.id);
  });

  it('copies tags between Spaces with fresh ids and remapped group ids', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const personal = kit.activeSpace;
    const g = personal.tagGroups.create({ name: 'Home', color: '#0a0' });
    const t = personal.tags.create({ name: 'Garden', color: '#0a0', groupId: g.id });
    const gone = personal.tags.create({ name: 'Deleted', color: '#000' });
    personal.tags.remove(gone.id);

    const family = await kit.spaces.create({
      name: 'Family',
      type: 'family',
      tagSource: { kind: 'copy', fromSpaceId: personal.id },
    });
    const copy = await kit.switchSpace(family.id);
    const [group] = copy.tagGroups.list();
    const [tag] = copy.tags.list();
    expect(tagNames(kit)).to.deep.equal(['Garden']);
    expect(tag.id).not.to.equal(t.id);
    expect(group.id).not.to.equal(g.id);
    expect(tag.groupId).to.equal(group.id);

    const club = await kit.spaces.create({ name: 'Club', type: 'club' });
    expect(await kit.copyTags(personal.id, club.id)).to.equal(1);
    const clubSpace = await kit.switchSpace(club.id);
    expect(clubSpace.tags.list().map((x) => x.name)).to.deep.equal(['Garden']);
  });

  it('copies from a Space that opening the new one evicts', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix(), recentSpaces: 0 });
    const personal = kit.activeSpace.id;
    kit.activeSpace.tags.create({ name: 'Kept', color: '#000' });
    const team = await kit.spaces.create({ name: 'Team', type: 'team' });
    await kit.switchSpace(team.id);
    const copy = await kit.spaces.create({
      name: 'Copy',
      type: 'club',
      tagSource: { kind: 'copy', fromSpaceId: personal },
    });
    expect(kit.internals.openSpaceIds()).not.to.include(personal);
    const space = await kit.switchSpace(copy.id);
    expect(space.tags.list().map((tag) => tag.name)).to.deep.equal(['Kept']);
  });

  it('refuses a Personal type or a bad source without making a Space', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    let error: unknown;
    await kit.spaces.create({ name: 'P', type: 'personal' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(RangeError);
    error = undefined;
    await kit.spaces
      .create({ name: 'X', type: 'team', tagSource: { kind: 'preset', presetId: 'nope' } })
      .catch((e: unknown) => (error = e));
    expect((error as Error).message).to.contain('nope');
    expect(kit.spaces.list()).to.have.length(1);
  });
});
