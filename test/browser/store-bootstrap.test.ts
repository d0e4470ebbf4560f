import { expect } from '@open-wc/testing';
import * as Y from 'yjs';
import type { SpaceKit } from '../../src/store/space-kit.ts';
import { cleanUp, freshPrefix, startKit, startSecondDevice } from './store-fixtures.ts';

/** Exchanges the full state of one Space doc between two kits, both ways. */
function merge(a: SpaceKit, b: SpaceKit, spaceId: string): void {
  const docA = a.internals.spaceDoc(spaceId) as Y.Doc;
  const docB = b.internals.spaceDoc(spaceId) as Y.Doc;
  const fromA = Y.encodeStateAsUpdate(docA, Y.encodeStateVector(docB));
  const fromB = Y.encodeStateAsUpdate(docB, Y.encodeStateVector(docA));
  Y.applyUpdate(docB, fromA, 'test-peer');
  Y.applyUpdate(docA, fromB, 'test-peer');
}

describe('store: bootstrap and convergence', () => {
  afterEach(cleanUp);

  it('names the default agent by Space type and locale', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const family = await kit.spaces.create({ name: 'F', type: 'family' });
    const practice = await kit.spaces.create({ name: 'P', type: 'practice' });
    const names = [];
    for (const id of [kit.activeSpace.id, family.id, practice.id]) {
      const space = await kit.switchSpace(id);
      names.push(space.agents.list().map((agent) => [agent.id, agent.name, agent.kind]));
    }
    expect(names).to.deep.equal([
      [['default-agent', 'Mana', 'default']],
      [['default-agent', 'Family Helper', 'default']],
      [['default-agent', 'Practice Assistant', 'default']],
    ]);

    const german = await startKit({ storagePrefix: freshPrefix(), locale: 'de' });
    const club = await german.spaces.create({ name: 'Verein', type: 'club' });
    const space = await german.switchSpace(club.id);
    expect(german.spaces.list()[0].name).to.equal('Persönlich');
    expect(space.agents.list()[0].name).to.equal('Verein-Helfer');
    expect(space.scenes.list()[0].title).to.equal('Übersicht');
  });

  it('converges two offline peers on one default agent and one default scene', async () => {
    const peerA = await startKit({ storagePrefix: freshPrefix() });
    const peerB = await startSecondDevice(peerA);
    const spaceId = peerA.activeSpace.id;
    expect(peerB.activeSpace.id).to.equal(spaceId);
    expect(peerA.activeSpace.agents.list()[0].createdAt).to.be.a('number');

    merge(peerA, peerB, spaceId);
    for (const kit of [peerA, peerB]) {
      expect(kit.activeSpace.agents.list().map((agent) => agent.id)).to.deep.equal([
        'default-agent',
      ]);
      expect(kit.activeSpace.scenes.list().map((scene) => scene.id)).to.deep.equal([
        'default-scene',
      ]);
    }
  });

  it('never overwrites a renamed default on the next activation', async () => {
    const prefix = freshPrefix();
    const kit = await startKit({ storagePrefix: prefix });
    kit.activeSpace.agents.update('default-agent', { name: 'Max' });
    kit.activeSpace.scenes.update('default-scene', { title: 'Home' });
    const other = await kit.spaces.create({ name: 'T', type: 'team' });
    await kit.switchSpace(other.id);
    await kit.switchSpace(kit.spaces.list()[0].id);
    await kit.destroy();

    const again = await startKit({ storagePrefix: prefix });
    const personal = await again.switchSpace(again.spaces.list()[0].id);
    expect(personal.agents.list().map((agent) => agent.name)).to.deep.equal(['Max']);
    expect(personal.scenes.list().map((scene) => scene.title)).to.deep.equal(['Home']);
  });

  it('merges concurrent kontext edits character by character', async () => {
    const peerA = await startKit({ storagePrefix: freshPrefix() });
    const peerB = await startSecondDevice(peerA);
    const spaceId = peerA.activeSpace.id;
    peerA.activeSpace.kontext.insert(0, 'Hello');
    merge(peerA, peerB, spaceId);
    peerA.activeSpace.kontext.insert(5, ' world');
    peerB.activeSpace.kontext.insert(0, '>> ');
    merge(peerA, peerB, spaceId);
    expect(peerA.activeSpace.kontext.toString()).to.equal('>> Hello world');
    expect(peerB.activeSpace.kontext.toString()).to.equal('>> Hello world');

    peerA.activeSpace.kontext.compact();
    peerB.activeSpace.kontext.delete(0, 3);
    merge(peerA, peerB, spaceId);
    expect(peerA.activeSpace.kontext.toString()).to.equal('Hello world');
    expect(peerB.activeSpace.kontext.toString()).to.equal('Hello world');
    const log = peerA.internals.spaceDoc(spaceId)?.getArray('kontextLog');
    expect(log?.length).to.equal(2);
  });
});
