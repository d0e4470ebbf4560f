// Acceptance 6: the encrypted context document merges concurrent edits like a Y.Text, and its
// log compacts past the threshold without losing entries appended concurrently.
import { expect } from '@open-wc/testing';
import type * as Y from 'yjs';
import { KONTEXT_COMPACT_THRESHOLD } from '../../src/store/kontext.ts';
import { cleanUp, exchange, startKit, freshPrefix, startSecondDevice } from './store-fixtures.ts';

describe('crypto: the encrypted context document', () => {
  afterEach(cleanUp);

  it('merges concurrent typing in one paragraph; the compacted log reads for both', async () => {
    const a = await startKit({ storagePrefix: freshPrefix() });
    const b = await startSecondDevice(a);
    const spaceId = a.activeSpace.id;
    const docA = a.internals.spaceDoc(spaceId) as Y.Doc;
    const docB = b.internals.spaceDoc(spaceId) as Y.Doc;
    const textA = a.activeSpace.kontext;
    const textB = b.activeSpace.kontext;

    textA.insert(0, 'We meet on Sundays.');
    exchange(docA, docB);
    textA.insert(11, 'and Mondays ');
    textB.insert(11, 'or Fridays ');
    exchange(docA, docB);
    expect(textA.toString()).to.equal(textB.toString());
    expect(textA.toString()).to.contain('and Mondays ');
    expect(textA.toString()).to.contain('or Fridays ');
    expect(textA.toString()).to.match(
      /^We meet on (and Mondays or Fridays |or Fridays and Mondays )Sundays\.$/,
    );

    // A types enough to trigger compaction while B types concurrently.
    for (let i = 0; i < KONTEXT_COMPACT_THRESHOLD; i++) textA.insert(textA.length, '.');
    textB.insert(0, '! ');
    const log = docA.getArray('kontextLog');
    expect(log.length).to.be.lessThan(KONTEXT_COMPACT_THRESHOLD);
    exchange(docA, docB);
    expect(textA.toString()).to.equal(textB.toString());
    expect(textA.toString().startsWith('! We meet on ')).to.equal(true);
    expect(textA.toString().endsWith('.'.repeat(KONTEXT_COMPACT_THRESHOLD))).to.equal(true);
    expect(log.length).to.be.lessThan(10);
    expect(JSON.stringify(log.toJSON())).not.to.contain('Sundays');
  });
});
