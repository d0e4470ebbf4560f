import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import { personalSpaceId } from '../../src/model/space.ts';
import { NoPersonalSpaceError } from '../../src/store/errors.ts';
import type { LegacyExport } from '../../src/store/legacy.ts';
import { cleanUp, freshPrefix, startKit } from './store-fixtures.ts';

const legacy: LegacyExport = {
  tagGroups: [{ id: 'g1', userId: 'ada', name: 'Work', color: '#00f', sortOrder: 0 }],
  tags: [
    { id: 't1', userId: 'ada', name: 'Urgent', color: '#f00', groupId: 'g1', sortOrder: 1 },
    { id: 't2', userId: 'eve', name: 'Later', color: '#0f0', sortOrder: 2, createdAt: 1000 },
  ],
  scenes: [{ id: 's1', userId: 'ada', title: 'Desk', layout: 'list', scopeTagIds: ['t1'] }],
  agents: [
    {
      id: 'a0',
      userId: 'ada',
      name: 'Mana',
      role: 'assistant',
      kind: 'default',
      memory: 'likes tea',
    },
    { id: 'a1', userId: 'ada', name: 'Coach', role: 'coach', systemPrompt: 'Be brief' },
  ],
  missions: [
    { id: 'm1', userId: 'ada', agentId: 'a1', title: 'Run', objective: '5k', state: 'active' },
    { id: 'm2', userId: 'ada', agentId: 'a0', title: 'Tea', state: 'draft' },
  ],
  kontext: { userId: 'ada', text: 'I live in Berlin.' },
};

describe('store: importLegacy', () => {
  afterEach(cleanUp);

  it('moves the old records into the Personal Space with actors and remapped links', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const team = await kit.spaces.create({ name: 'Team', type: 'team' });
    await kit.switchSpace(team.id);
    const result = await kit.importLegacy(legacy);
    expect(result.spaceId).to.equal(personalSpaceId('ada'));
    expect(kit.activeSpace.id).to.equal(team.id);
    expect(kit.activeSpace.tags.list()).to.have.length(0);

    const personal = await kit.switchSpace(personalSpaceId('ada'));
    const [urgent, later] = personal.tags.list();
    const [group] = personal.tagGroups.list();
    expect([urgent.name, later.name]).to.deep.equal(['Urgent', 'Later']);
    expect(urgent.groupId).to.equal(group.id);
    expect(later.createdAt).to.equal(1000);
    expect(later.__lastActor).to.deep.equal({
      kind: 'user',
      principalId: 'eve',
      displayName: 'eve',
    });
    expect(urgent.__lastActor.displayName).to.equal('Ada');
    expect(personal.scenes.list().find((s) => s.title === 'Desk')?.scopeTagIds).to.deep.equal([
      urgent.id,
    ]);

    const agents = personal.agents.list();
    expect(agents.map((a) => [a.id, a.name])).to.have.deep.members([
      ['default-agent', 'Mana'],
      [agents.find((a) => a.name === 'Coach')?.id, 'Coach'],
    ]);
    expect(personal.agents.get('default-agent')?.memory).to.equal('likes tea');
    const coach = agents.find((a) => a.name === 'Coach');
    const missions = personal.missions.list();
    const agentOf = (title: string) => missions.find((m) => m.title === title)?.agentId;
    expect([agentOf('Run'), agentOf('Tea')]).to.deep.equal([coach?.id, 'default-agent']);
    expect(personal.kontext.toString()).to.equal('I live in Berlin.');

    const doc = kit.internals.spaceDoc(personal.id) as Y.Doc;
    expect(JSON.stringify(doc.toJSON())).not.to.contain('userId');
  });

  it('changes nothing when run a second time', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    await kit.importLegacy(legacy);
    const doc = kit.internals.spaceDoc(personalSpaceId('ada')) as Y.Doc;
    const once = Y.encodeStateVector(doc);
    const snapshot = JSON.stringify(doc.toJSON());

    const second = await kit.importLegacy(legacy);
    expect(second.written).to.equal(0);
    expect(second.kontextWritten).to.equal(false);
    expect(Y.encodeStateVector(doc)).to.deep.equal(once);
    expect(JSON.stringify(doc.toJSON())).to.equal(snapshot);
    expect(kit.activeSpace.kontext.toString()).to.equal('I live in Berlin.');
  });

  it('refuses without a Personal Space and rejects malformed data', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    let error: unknown;
    await kit.importLegacy({ tags: [{ id: 1 }] }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.contain('data.tags[0]');

    kit.internals.userDoc.getMap('spaces').delete(personalSpaceId('ada'));
    error = undefined;
    await kit.importLegacy(legacy).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(NoPersonalSpaceError);
    expect(kit.internals.spaceDoc(personalSpaceId('ada'))?.getMap('tags').size).to.equal(0);
  });

  it('refuses a context text while locked, before writing anything', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix(), locked: true });
    const before = Y.encodeStateVector(kit.internals.spaceDoc(kit.activeSpace.id) as Y.Doc);
    let refused: unknown;
    await kit
      .importLegacy({ ...legacy, kontext: { userId: 'ada', text: 'Sundays are family days.' } })
      .catch((error: unknown) => (refused = error));
    expect(refused).to.have.property('name', 'LockedError');
    const after = Y.encodeStateVector(kit.internals.spaceDoc(kit.activeSpace.id) as Y.Doc);
    expect(after).to.deep.equal(before);
  });
});
