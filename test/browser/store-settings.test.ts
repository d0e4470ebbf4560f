import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import type { SettingsChange } from '../../src/store/settings.ts';
import { cleanUp, exchange, freshPrefix, startKit } from './store-fixtures.ts';

describe('store: user settings', () => {
  afterEach(cleanUp);

  it('keeps settings in the user doc, stamped with the actor, across a new kit', async () => {
    const storagePrefix = freshPrefix();
    const kit = await startKit({ storagePrefix });
    expect(kit.settings.get('locale')).to.equal(undefined);
    kit.settings.set('locale', 'de');
    kit.settings.set('theme', 'dark');
    expect(kit.settings.get('locale')).to.equal('de');
    expect(kit.settings.actorOf('theme')).to.deep.equal({
      kind: 'user',
      principalId: 'ada',
      displayName: 'Ada',
    });
    const stored = kit.internals.userDoc.getMap('settings');
    expect(stored.get('theme')).to.equal('dark');
    expect(stored.get('__lastActor')).to.deep.include({ principalId: 'ada' });
    await kit.whenSavedOnDevice();
    await kit.destroy();

    // A new kit on the same storage, still locked: plaintext settings read before unlock.
    const again = await startKit({ storagePrefix, locked: true });
    expect(again.settings.get('locale')).to.equal('de');
    expect(again.settings.get('theme')).to.equal('dark');
    again.settings.set('theme', undefined);
    expect(again.settings.get('theme')).to.equal(undefined);
  });

  it('refuses unclassified keys and invalid values, writing nothing', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const doc = kit.internals.userDoc;
    const before = doc.getMap('settings').toJSON();
    const set = kit.settings.set.bind(kit.settings) as (key: unknown, value: unknown) => void;
    expect(() => set('fontSize', 12)).to.throw(
      TypeError,
      'Unclassified field "fontSize" in collection "settings"',
    );
    expect(() => set('__lastActor', 'x')).to.throw(TypeError, /__lastActor/);
    expect(() => set(7, 'en')).to.throw(TypeError, 'key');
    expect(() => set('locale', 'fr')).to.throw(RangeError, /value of "locale"/);
    expect(() => set('theme', 'blue')).to.throw(RangeError, /value of "theme"/);
    expect(() => (kit.settings.get as (key: unknown) => unknown)('fontSize')).to.throw(TypeError);
    expect(doc.getMap('settings').toJSON()).to.deep.equal(before);
  });

  it('syncs to another device of the user and tells local from remote changes', async () => {
    const kit = await startKit({ storagePrefix: freshPrefix() });
    const other = await startKit({ storagePrefix: freshPrefix() });
    const seen: SettingsChange[] = [];
    const off = other.settings.observe((change) => seen.push(change));
    kit.settings.set('theme', 'light');
    exchange(kit.internals.userDoc as Y.Doc, other.internals.userDoc as Y.Doc);
    expect(other.settings.get('theme')).to.equal('light');
    other.settings.set('locale', 'de');
    expect(seen).to.deep.equal([
      { keys: ['theme'], local: false },
      { keys: ['locale'], local: true },
    ]);

    off();
    other.settings.set('locale', 'en');
    expect(seen).to.have.length(2);
  });
});
