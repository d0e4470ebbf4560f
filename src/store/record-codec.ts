// Reading and writing one record's fields: classification (the drift check), sealing through the
// codec, and actor stamping. Sealing happens before the transaction, so a LockedError or an
// unclassified field leaves the document untouched.
import * as Y from 'yjs';
import type { Actor } from '../model/actor.ts';
import { isLocked, LockedError } from '../crypto/field-codec.ts';
import { fieldClass, FieldClass, systemFields } from '../crypto/registry.ts';
import type { FieldCodec, FieldContext } from '../crypto/field-codec.ts';
import type { DocScope } from './scope.ts';

/** A field ready to be stored: its stored form, or `undefined` to remove it. */
export type PreparedField = readonly [field: string, stored: unknown];

export interface PrepareOptions {
  /**
   * Store a sensitive value in plaintext when the codec cannot seal it now (LockedError). Only
   * for the kit's own writes (bootstrap names, the Personal Space entry, legacy import): the
   * at-rest sweep seals such values after the next unlock. A user's write is refused instead.
   */
  readonly plaintextWhenLocked?: boolean;
}

/**
 * Classifies and seals `fields` of one record. Throws TypeError for unclassified or system
 * fields and for locked placeholders; LockedError (from the codec) when a value cannot be sealed.
 */
export function prepareFields(
  scope: DocScope,
  collection: string,
  recordId: string,
  fields: object,
  options: PrepareOptions = {},
): PreparedField[] {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new TypeError(`fields of "${collection}" must be an object`);
  }
  const codec = scope.codec();
  const prepared: PreparedField[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const fieldKind = fieldClass(collection, field);
    if (Object.prototype.hasOwnProperty.call(systemFields, field)) {
      throw new TypeError(`Field "${field}" of "${collection}" is written by the store only`);
    }
    if (isLocked(value)) {
      // A placeholder read while locked must never replace the ciphertext it stands for.
      throw new TypeError(`Field "${field}" of "${collection}" holds a locked placeholder`);
    }
    if (value === undefined) {
      prepared.push([field, undefined]);
      continue;
    }
    const context = { spaceId: scope.fieldSpaceId, collection, recordId, field };
    const stored =
      fieldKind === FieldClass.encrypted ? sealValue(codec, context, value, options) : value;
    prepared.push([field, stored]);
  }
  return prepared;
}

function sealValue(
  codec: FieldCodec,
  context: FieldContext,
  value: unknown,
  options: PrepareOptions,
): unknown {
  try {
    return codec.seal(context, value);
  } catch (error) {
    if (options.plaintextWhenLocked && error instanceof LockedError) return value;
    throw error;
  }
}

/** Writes prepared fields into a record map, stamping actors. Call inside a transaction. */
export function applyFields(
  record: Y.Map<unknown>,
  prepared: readonly PreparedField[],
  actor: Actor,
  now: number,
): void {
  let fieldActors = record.get('__fieldActors');
  if (!(fieldActors instanceof Y.Map)) {
    fieldActors = new Y.Map<Actor>();
    record.set('__fieldActors', fieldActors);
  }
  for (const [field, stored] of prepared) {
    if (stored === undefined) {
      if (!record.has(field)) continue;
      record.delete(field);
    } else {
      record.set(field, stored);
    }
    (fieldActors as Y.Map<Actor>).set(field, actor);
  }
  record.set('updatedAt', now);
  record.set('__lastActor', actor);
}

/** Creates a record map with its system fields. Call inside a transaction. */
export function newRecordMap(
  parent: Y.Map<unknown>,
  id: string,
  actor: Actor,
  now: number,
): Y.Map<unknown> {
  const record = new Y.Map<unknown>();
  parent.set(id, record);
  record.set('id', id);
  record.set('createdAt', now);
  record.set('updatedAt', now);
  record.set('__lastActor', actor);
  record.set('__fieldActors', new Y.Map<Actor>());
  return record;
}

/**
 * A record as plain data. Sealed fields are enumerable getters that open the value through the
 * codec on first read and keep it, so listing 10,000 records decrypts only the fields a caller
 * actually reads (value or LockedValue).
 */
export function readFields(
  scope: DocScope,
  collection: string,
  record: Y.Map<unknown>,
): Record<string, unknown> {
  const codec = scope.codec();
  const id = String(record.get('id'));
  const result: Record<string, unknown> = {};
  for (const [field, stored] of record.entries()) {
    if (stored instanceof Y.Map) {
      result[field] = stored.toJSON();
      continue;
    }
    let sealed: boolean;
    try {
      sealed = fieldClass(collection, field) === FieldClass.encrypted;
    } catch {
      // A field written by a newer schema: it may be ciphertext we cannot classify, so leave it
      // out.
      continue;
    }
    if (!sealed) {
      result[field] = stored;
      continue;
    }
    const context = { spaceId: scope.fieldSpaceId, collection, recordId: id, field };
    Object.defineProperty(result, field, {
      enumerable: true,
      configurable: true,
      get() {
        const value = codec.open(context, stored);
        Object.defineProperty(result, field, { value, enumerable: true, writable: true });
        return value;
      },
    });
  }
  if (!result.__fieldActors) result.__fieldActors = {};
  return result;
}
