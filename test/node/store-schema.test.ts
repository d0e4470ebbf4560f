import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { migrate, SchemaState, schemaVersionOf } from '../../src/store/schema.ts';
import type { Migration } from '../../src/store/schema.ts';

const renameColorToHue: Migration = {
  to: 2,
  migrate(doc) {
    for (const tag of doc.getMap<Y.Map<unknown>>('tags').values()) {
      if (tag.has('colour')) {
        tag.set('color', tag.get('colour'));
        tag.delete('colour');
      }
    }
  },
};
const list: Migration[] = [{ to: 1, migrate: () => {} }, renameColorToHue];

function oldDoc(): Y.Doc {
  const doc = new Y.Doc();
  const tag = new Y.Map<unknown>();
  doc.getMap('tags').set('t1', tag);
  tag.set('colour', '#123');
  doc.getMap('meta').set('schemaVersion', 1);
  return doc;
}

test('migrations run in order on open, each once, and set the version', () => {
  const doc = oldDoc();
  assert.equal(migrate(doc, 'system', { list, target: 2 }), SchemaState.migrated);
  assert.equal(schemaVersionOf(doc), 2);
  const tag = doc.getMap<Y.Map<unknown>>('tags').get('t1');
  assert.equal(tag?.get('color'), '#123');
  assert.equal(migrate(doc, 'system', { list, target: 2 }), SchemaState.current);
});

test('two peers migrating the same document converge', () => {
  const a = oldDoc();
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  migrate(a, 'system', { list, target: 2 });
  migrate(b, 'system', { list, target: 2 });
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  assert.deepEqual(a.getMap('tags').toJSON(), b.getMap('tags').toJSON());
  assert.deepEqual(a.getMap('tags').toJSON(), { t1: { color: '#123' } });
});

test('a newer document is reported and left untouched; a viewer does not migrate', () => {
  const doc = oldDoc();
  doc.getMap('meta').set('schemaVersion', 3);
  const before = Y.encodeStateVector(doc);
  assert.equal(migrate(doc, 'system', { list, target: 2 }), SchemaState.newer);
  assert.deepEqual(Y.encodeStateVector(doc), before);

  const viewed = oldDoc();
  migrate(viewed, 'system', { list, target: 2, writable: false });
  assert.equal(schemaVersionOf(viewed), 1);
});
