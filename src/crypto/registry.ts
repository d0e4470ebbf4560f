// The crypto registry: for every collection the store writes, which fields are ciphertext at rest
// and which stay plaintext (docs/security.md lists them). The store asks it on every write, so a
// field nobody classified cannot slip into a document unencrypted (the drift check).

/** How a field is stored. */
export const FieldClass = { encrypted: 'encrypted', plaintext: 'plaintext' } as const;
export type FieldClass = (typeof FieldClass)[keyof typeof FieldClass];

const E = FieldClass.encrypted;
const P = FieldClass.plaintext;

/** Fields the store itself writes on every record; none of them is something a person typed. */
export const systemFields = {
  id: P,
  createdAt: P,
  updatedAt: P,
  deletedAt: P,
  __lastActor: P,
  __fieldActors: P,
} as const satisfies Record<string, FieldClass>;

/**
 * Every collection and the class of each of its fields. `test/node/registry.test.ts` checks these
 * keys against the record types in `src/store/records.ts`, at compile time and at run time.
 */
export const cryptoRegistry = {
  tags: { ...systemFields, name: E, color: P, icon: E, groupId: P, sortOrder: P },
  tagGroups: { ...systemFields, name: E, color: P, sortOrder: P },
  scenes: { ...systemFields, title: E, layout: P, scopeTagIds: P, order: P },
  agents: { ...systemFields, name: P, role: P, systemPrompt: E, memory: E, kind: P },
  missions: {
    ...systemFields,
    agentId: P,
    title: E,
    objective: E,
    state: P,
    nextRunAt: P,
  },
  /** The Space's singleton description; its name is what a person typed, so it is sealed. */
  meta: {
    ...systemFields,
    name: E,
    type: P,
    schemaVersion: P,
    legacyImportedAt: P,
  },
  /** The user doc's tag presets; the tag entries (names, icons) are sealed as one value. */
  presets: { ...systemFields, name: E, isDefault: P, tags: E },
  /** The user doc's list of Spaces, so the switcher can name a Space without opening it. */
  spaceList: { ...systemFields, name: E, type: P, role: P },
  /**
   * The user doc's settings (one record). Plaintext on purpose: a language and a colour scheme
   * are choices from a fixed list, not something a person typed, and the kit needs them before
   * unlock (to show the lock screen in the user's language and theme).
   */
  settings: { ...systemFields, locale: P, theme: P },
  /** The log of the context document's updates: every entry is sealed. */
  kontext: { ...systemFields, update: E },
} as const satisfies Record<string, Record<string, FieldClass>>;

export type CollectionName = keyof typeof cryptoRegistry;

export const collectionNames = Object.keys(cryptoRegistry) as CollectionName[];

/**
 * The fields of `collection` that are sealed, e.g. `EncryptedField<'tags'>` is `'name' | 'icon'`.
 */
export type EncryptedField<C extends CollectionName> = {
  [K in keyof (typeof cryptoRegistry)[C]]: (typeof cryptoRegistry)[C][K] extends 'encrypted'
    ? K
    : never;
}[keyof (typeof cryptoRegistry)[C]];

function isCollectionName(value: string): value is CollectionName {
  return Object.prototype.hasOwnProperty.call(cryptoRegistry, value);
}

/**
 * The class of `field` in `collection`. Throws a TypeError naming both when the registry does not
 * know them: a write of such a field must not happen.
 */
export function fieldClass(collection: string, field: string): FieldClass {
  if (!isCollectionName(collection)) {
    throw new TypeError(`Unknown collection "${collection}" in the crypto registry`);
  }
  const fields: Record<string, FieldClass> = cryptoRegistry[collection];
  if (!Object.prototype.hasOwnProperty.call(fields, field)) {
    throw new TypeError(`Unclassified field "${field}" in collection "${collection}"`);
  }
  return fields[field];
}

/** True when `field` of `collection` is sealed; throws like `fieldClass` for unknown fields. */
export function isEncryptedField(collection: string, field: string): boolean {
  return fieldClass(collection, field) === FieldClass.encrypted;
}

/** The sealed fields of `collection`, e.g. for the at-rest sweep. */
export function encryptedFields(collection: CollectionName): readonly string[] {
  const fields: Record<string, FieldClass> = cryptoRegistry[collection];
  return Object.keys(fields).filter((field) => fields[field] === FieldClass.encrypted);
}
