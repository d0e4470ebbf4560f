// The import of the old user-level export (docs/store.md) into the Personal Space. Ids derive from
// the legacy ids, so a second run finds every record and writes nothing.
import type { Actor } from '../model/actor.ts';
import { DEFAULT_AGENT_ID } from '../model/defaults.ts';
import { derivedId } from './ids.ts';
import type { RecordCollection } from './records.ts';
import { recordCollections } from './records.ts';
import type { ImportedRecord, Space } from './space.ts';

/** One row of the old model: user-global, carrying the owner's `userId`. */
export interface LegacyRow {
  readonly id: string;
  readonly userId: string;
  readonly createdAt?: number;
  readonly updatedAt?: number;
  readonly deletedAt?: number;
  readonly [field: string]: unknown;
}

/** The old export: rows per collection and at most one context document. */
export interface LegacyExport {
  readonly tags?: readonly LegacyRow[];
  readonly tagGroups?: readonly LegacyRow[];
  readonly scenes?: readonly LegacyRow[];
  readonly agents?: readonly LegacyRow[];
  readonly missions?: readonly LegacyRow[];
  readonly kontext?: { readonly userId: string; readonly text: string } | null;
}

export interface LegacyImportResult {
  readonly spaceId: string;
  /** Records written by this run (0 everywhere on a repeated run). */
  readonly written: number;
  /** True when this run wrote the context text. */
  readonly kontextWritten: boolean;
}

/** Fields that are the store's own or the old model's, never copied as data. */
const dropped = new Set(['id', 'userId', 'createdAt', 'updatedAt', 'deletedAt']);

/** Fills what the new model requires but old rows may lack. */
const rowDefaults: Record<RecordCollection, (index: number) => Record<string, unknown>> = {
  tags: (index) => ({ sortOrder: index }),
  tagGroups: (index) => ({ sortOrder: index }),
  scenes: (index) => ({ layout: 'grid', order: index }),
  agents: () => ({ role: '', systemPrompt: '', memory: '', kind: 'custom' }),
  missions: () => ({ state: 'draft', objective: '' }),
};

/** Throws a TypeError naming the offending part of `data` when its shape is wrong. */
export function checkLegacyExport(data: unknown): asserts data is LegacyExport {
  if (typeof data !== 'object' || data === null) throw new TypeError('data must be an object');
  for (const collection of recordCollections) {
    const rows = (data as Record<string, unknown>)[collection];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) throw new TypeError(`data.${collection} must be an array`);
    rows.forEach((row, index) => {
      if (typeof row?.id !== 'string' || typeof row?.userId !== 'string') {
        throw new TypeError(`data.${collection}[${index}] needs a string id and userId`);
      }
    });
  }
  const kontext = (data as LegacyExport).kontext;
  if (kontext != null && (typeof kontext.text !== 'string' || typeof kontext.userId !== 'string')) {
    throw new TypeError('data.kontext needs a string text and userId');
  }
}

/**
 * Imports `data` into `space` (the Personal Space). `actorFor` turns a legacy userId into the
 * actor to backfill. The old default agent's prompt and memory go into the Space's default agent
 * on the first run only (the `legacyImportedAt` marker in meta).
 */
export function importLegacyInto(
  space: Space,
  data: LegacyExport,
  actorFor: (userId: string) => Actor,
): LegacyImportResult {
  const firstRun = space.meta.legacyImportedAt === undefined;
  const defaultAgentIds = new Set(
    (data.agents ?? []).filter((row) => row.kind === 'default').map((row) => row.id),
  );
  const agentId = (legacyId: string) =>
    defaultAgentIds.has(legacyId) ? DEFAULT_AGENT_ID : derivedId('agents', legacyId);

  const records: ImportedRecord[] = [];
  for (const collection of recordCollections) {
    (data[collection] ?? []).forEach((row, index) => {
      const isDefaultAgent = collection === 'agents' && defaultAgentIds.has(row.id);
      if (isDefaultAgent && !firstRun) return;
      const fields: Record<string, unknown> = isDefaultAgent ? {} : rowDefaults[collection](index);
      for (const [field, value] of Object.entries(row)) {
        if (!dropped.has(field) && value !== undefined && value !== null) fields[field] = value;
      }
      if (isDefaultAgent) delete fields.kind;
      if (typeof fields.groupId === 'string')
        fields.groupId = derivedId('tagGroups', fields.groupId);
      if (typeof fields.agentId === 'string') fields.agentId = agentId(fields.agentId);
      if (Array.isArray(fields.scopeTagIds)) {
        fields.scopeTagIds = fields.scopeTagIds.map((id) => derivedId('tags', String(id)));
      }
      const createdAt = typeof row.createdAt === 'number' ? row.createdAt : Date.now();
      records.push({
        collection,
        id: isDefaultAgent ? DEFAULT_AGENT_ID : derivedId(collection, row.id),
        fields,
        actor: actorFor(row.userId),
        createdAt,
        updatedAt: typeof row.updatedAt === 'number' ? row.updatedAt : createdAt,
        deletedAt: typeof row.deletedAt === 'number' ? row.deletedAt : undefined,
        merge: isDefaultAgent,
      });
    });
  }

  const written = space.importRecords(records);
  const text = data.kontext?.text ?? '';
  const kontextWritten = firstRun && text !== '';
  if (kontextWritten) space.kontext.insert(space.kontext.length, text);
  if (firstRun) space.setMeta({ legacyImportedAt: Date.now() });
  return { spaceId: space.id, written, kontextWritten };
}
