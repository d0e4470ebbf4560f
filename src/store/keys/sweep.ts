// The at-rest sweep: seals every sensitive value still stored in plaintext (imported or written
// by the kit while locked), one collection at a time, and records per collection that this
// device swept it. A collection that fails leaves no sentinel and is swept again next time.
import * as Y from 'yjs';
import type { FieldCodec } from '../../crypto/field-codec.ts';
import { encryptedFields } from '../../crypto/registry.ts';
import type { CollectionName } from '../../crypto/registry.ts';
import type { DeviceStorage } from '../device.ts';
import type { SystemOrigin } from '../scope.ts';

/** One sweepable part of a document: a registry collection and where its records live. */
export interface SweepCollection {
  readonly collection: CollectionName;
  /** The Y.Map holding it in the document. */
  readonly mapName: string;
  /** True for a singleton record (the Space meta) instead of a map of records. */
  readonly singleton?: boolean;
}

/** What a Space doc holds that the sweep covers (the kontext log is sealed on every write). */
export const spaceSweepCollections: readonly SweepCollection[] = [
  { collection: 'meta', mapName: 'meta', singleton: true },
  { collection: 'tags', mapName: 'tags' },
  { collection: 'tagGroups', mapName: 'tagGroups' },
  { collection: 'scenes', mapName: 'scenes' },
  { collection: 'agents', mapName: 'agents' },
  { collection: 'missions', mapName: 'missions' },
];

/** What the user doc holds that the sweep covers. */
export const userSweepCollections: readonly SweepCollection[] = [
  { collection: 'spaceList', mapName: 'spaces' },
  { collection: 'presets', mapName: 'presets' },
];

export interface SweepTarget {
  readonly doc: Y.Doc;
  /** The FieldContext `spaceId` of the document's fields. */
  readonly fieldSpaceId: string;
  readonly collections: readonly SweepCollection[];
}

export interface SweepOptions {
  readonly codec: FieldCodec;
  readonly origin: SystemOrigin;
  readonly storage: DeviceStorage;
  /** Prefix of the sentinel keys (storage prefix and user). */
  readonly sentinelPrefix: string;
  /** Test hook: called before each collection; throwing fails that collection. */
  readonly beforeCollection?: (fieldSpaceId: string, collection: CollectionName) => void;
}

export interface SweepResult {
  /** Values sealed. */
  readonly sealed: number;
  /** Collections that failed (no sentinel written). */
  readonly failed: readonly CollectionName[];
  /** True when the local store should be compacted: something was sealed or swept first. */
  readonly needsCompaction: boolean;
}

/** The device storage key of one collection's sentinel. */
export function sweepSentinelKey(prefix: string, fieldSpaceId: string, collection: string): string {
  return `${prefix}:sweep:${fieldSpaceId}:${collection}`;
}

/** Sweeps every collection of one document. Never throws for a failing collection. */
export function sweepDocument(target: SweepTarget, options: SweepOptions): SweepResult {
  let sealed = 0;
  let needsCompaction = false;
  const failed: CollectionName[] = [];
  for (const part of target.collections) {
    const key = sweepSentinelKey(options.sentinelPrefix, target.fieldSpaceId, part.collection);
    try {
      options.beforeCollection?.(target.fieldSpaceId, part.collection);
      const count = sweepCollection(target, part, options);
      sealed += count;
      // First sweep on this device: earlier updates may hold overwritten plaintext.
      if (count > 0 || options.storage.getItem(key) === null) needsCompaction = true;
      options.storage.setItem(key, String(Date.now()));
    } catch {
      failed.push(part.collection);
    }
  }
  return { sealed, failed, needsCompaction };
}

function sweepCollection(
  target: SweepTarget,
  part: SweepCollection,
  options: SweepOptions,
): number {
  const fields = encryptedFields(part.collection);
  const map = target.doc.getMap<unknown>(part.mapName);
  const records: Y.Map<unknown>[] = part.singleton
    ? [map]
    : [...map.values()].filter((value): value is Y.Map<unknown> => value instanceof Y.Map);

  // Seal everything first, so a LockedError leaves this collection untouched.
  const writes: [Y.Map<unknown>, string, unknown][] = [];
  for (const record of records) {
    const recordId = part.singleton ? part.mapName : String(record.get('id'));
    for (const field of fields) {
      const stored = record.get(field);
      if (stored === undefined || options.codec.isSealed(stored)) continue;
      const context = {
        spaceId: target.fieldSpaceId,
        collection: part.collection,
        recordId,
        field,
      };
      writes.push([record, field, options.codec.seal(context, stored)]);
    }
  }
  if (writes.length === 0) return 0;
  // Not an edit: updatedAt and actors stay; the system origin keeps it out of undo.
  target.doc.transact(() => {
    for (const [record, field, value] of writes) record.set(field, value);
  }, options.origin);
  return writes.length;
}
