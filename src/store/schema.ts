// The schema version of Space documents and the migrations that bring older documents up to it.
import type * as Y from 'yjs';

/** The version this kit writes. Raise it together with a new entry in `migrations`. */
export const CURRENT_SCHEMA_VERSION = 1;

/** One step up: `migrate` turns a document of version `to - 1` into version `to`. */
export interface Migration {
  readonly to: number;
  /**
   * Must be idempotent: two peers may migrate the same document and merge. Runs in a transaction.
   */
  migrate(doc: Y.Doc): void;
}

/** Every migration, in order. Version 1 is the baseline: nothing to convert. */
export const migrations: readonly Migration[] = [{ to: 1, migrate: () => {} }];

/** The document's schema version; 0 for a document that has none yet (new, or pre-schema). */
export function schemaVersionOf(doc: Y.Doc): number {
  const version = doc.getMap('meta').get('schemaVersion');
  return typeof version === 'number' ? version : 0;
}

/** What opening a document found. */
export const SchemaState = {
  current: 'current',
  migrated: 'migrated',
  /** Written by a newer kit: open it read-only and never write. */
  newer: 'newer',
} as const;
export type SchemaState = (typeof SchemaState)[keyof typeof SchemaState];

/**
 * Runs the migrations the document still needs, each in its own transaction with `origin`.
 * `writable` false (e.g. a viewer) reports the state without changing anything.
 */
export function migrate(
  doc: Y.Doc,
  origin: unknown,
  options: { writable?: boolean; list?: readonly Migration[]; target?: number } = {},
): SchemaState {
  const list = options.list ?? migrations;
  const target = options.target ?? CURRENT_SCHEMA_VERSION;
  const from = schemaVersionOf(doc);
  if (from > target) return SchemaState.newer;
  if (from === target) return SchemaState.current;
  if (options.writable === false) return SchemaState.current;

  for (const step of [...list].sort((a, b) => a.to - b.to)) {
    if (step.to <= schemaVersionOf(doc) || step.to > target) continue;
    doc.transact(() => {
      step.migrate(doc);
      doc.getMap('meta').set('schemaVersion', step.to);
    }, origin);
  }
  return SchemaState.migrated;
}
