import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectionNames,
  cryptoRegistry,
  encryptedFields,
  fieldClass,
  systemFields,
} from '../../src/crypto/registry.ts';
import type { CollectionFields, SystemFields } from '../../src/store/records.ts';

// Compile-time drift check: each collection's registry keys equal its record type's keys plus
// the system fields, in both directions. Adding a field to a type without classifying it (or
// the other way round) fails `tsc`.
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RegistryKeys<C extends keyof CollectionFields> = keyof (typeof cryptoRegistry)[C];
type Expected<C extends keyof CollectionFields> = keyof CollectionFields[C] | keyof SystemFields;
const exact: { [C in keyof CollectionFields]: Equal<RegistryKeys<C>, Expected<C>> } = {
  tags: true,
  tagGroups: true,
  scenes: true,
  agents: true,
  missions: true,
  meta: true,
  presets: true,
  spaceList: true,
  settings: true,
  kontext: true,
};

// Run-time drift check: one complete sample per collection. `Required<...>` makes a missing
// field a type error, and excess property checks make an extra one a type error too.
const samples: { [C in keyof CollectionFields]: Required<CollectionFields[C]> } = {
  tags: { name: 'n', color: 'c', icon: 'i', groupId: 'g', sortOrder: 0 },
  tagGroups: { name: 'n', color: 'c', sortOrder: 0 },
  scenes: { title: 't', layout: 'grid', scopeTagIds: [], order: 0 },
  agents: { name: 'n', role: 'r', systemPrompt: 's', memory: 'm', kind: 'custom' },
  missions: { agentId: 'a', title: 't', objective: 'o', state: 's', nextRunAt: 0 },
  meta: { name: 'n', type: 'team', schemaVersion: 1, legacyImportedAt: 0 },
  presets: { name: 'n', isDefault: false, tags: [] },
  spaceList: { name: 'n', type: 'team', role: 'owner' },
  settings: { locale: 'en', theme: 'system' },
  kontext: { update: 'u' },
};

test('every collection of the registry has a record type and every field is classified', () => {
  assert.deepEqual(Object.keys(exact).sort(), [...collectionNames].sort());
  for (const collection of collectionNames) {
    const fields = [...Object.keys(samples[collection]), ...Object.keys(systemFields)];
    assert.deepEqual(fields.sort(), Object.keys(cryptoRegistry[collection]).sort(), collection);
    for (const field of fields) {
      assert.ok(['encrypted', 'plaintext'].includes(fieldClass(collection, field)));
    }
  }
});

test('the sensitive fields (docs/security.md) are encrypted, system fields are plaintext', () => {
  assert.deepEqual(encryptedFields('tags'), ['name', 'icon']);
  assert.deepEqual(encryptedFields('tagGroups'), ['name']);
  assert.deepEqual(encryptedFields('scenes'), ['title']);
  assert.deepEqual(encryptedFields('agents'), ['systemPrompt', 'memory']);
  assert.deepEqual(encryptedFields('missions'), ['title', 'objective']);
  assert.deepEqual(encryptedFields('meta'), ['name']);
  assert.deepEqual(encryptedFields('presets'), ['name', 'tags']);
  assert.deepEqual(encryptedFields('spaceList'), ['name']);
  assert.deepEqual(encryptedFields('kontext'), ['update']);
  // Settings are read before unlock (lock screen language and theme): none is sealed.
  assert.deepEqual(encryptedFields('settings'), []);
  for (const collection of collectionNames) {
    for (const field of Object.keys(systemFields)) {
      assert.equal(fieldClass(collection, field), 'plaintext');
    }
  }
});

test('an unclassified field or collection throws a TypeError naming both', () => {
  assert.throws(() => fieldClass('tags', 'userId'), {
    name: 'TypeError',
    message: 'Unclassified field "userId" in collection "tags"',
  });
  assert.throws(() => fieldClass('notes', 'name'), { name: 'TypeError', message: /"notes"/ });
  // Inherited object keys are not fields.
  assert.throws(() => fieldClass('tags', 'toString'), TypeError);
});
