// One collection of a Space (tags, scenes, …): a Y.Map of record Y.Maps with soft delete, order,
// actor stamping and the codec on every sensitive field.
import * as Y from 'yjs';
import type { CollectionFields, ReadRecord, RecordCollection } from './records.ts';
import { RecordNotFoundError } from './errors.ts';
import { newId } from './ids.ts';
import { applyFields, newRecordMap, prepareFields, readFields } from './record-codec.ts';
import type { DocScope } from './scope.ts';

/** Fields each collection fills in when a create leaves them out. */
interface Defaulted {
  tags: 'sortOrder';
  tagGroups: 'sortOrder';
  scenes: 'order' | 'layout';
  agents: 'role' | 'systemPrompt' | 'memory' | 'kind';
  missions: 'state' | 'objective';
}

/** What `create` takes: the collection's fields, defaulted ones optional. */
export type CreateInput<C extends RecordCollection> = Omit<CollectionFields[C], Defaulted[C]> &
  Partial<Pick<CollectionFields[C], Defaulted[C] & keyof CollectionFields[C]>>;

/** What `update` takes: any subset of the fields; a key set to `undefined` removes the field. */
export type UpdateInput<C extends RecordCollection> = Partial<CollectionFields[C]>;

/** What observers receive. */
export interface CollectionChange {
  /** Ids of the records that changed; empty when everything should be re-read (codec change). */
  readonly ids: ReadonlySet<string>;
  /** True when the local user made the change through this kit (not sync, storage or undo). */
  readonly local: boolean;
  /** `codec` when keys changed and sealed fields may read differently now. */
  readonly reason: 'write' | 'codec';
}

export interface ListOptions {
  /** Include soft-deleted records. */
  readonly includeDeleted?: boolean;
}

/** The field that orders each collection; agents and missions keep creation order. */
const orderField: Record<RecordCollection, string> = {
  tags: 'sortOrder',
  tagGroups: 'sortOrder',
  scenes: 'order',
  agents: 'createdAt',
  missions: 'createdAt',
};

/** Fields a create must carry, with their type. */
const requiredFields: Record<RecordCollection, Record<string, 'string'>> = {
  tags: { name: 'string', color: 'string' },
  tagGroups: { name: 'string', color: 'string' },
  scenes: { title: 'string' },
  agents: { name: 'string' },
  missions: { agentId: 'string', title: 'string' },
};

export class Collection<C extends RecordCollection> {
  readonly #scope: DocScope;
  readonly #map: Y.Map<Y.Map<unknown>>;
  readonly #observers = new Set<(change: CollectionChange) => void>();
  readonly #onDeep: (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => void;
  readonly #offCodec: () => void;

  constructor(
    scope: DocScope,
    readonly name: C,
  ) {
    this.#scope = scope;
    this.#map = scope.doc.getMap(name);
    this.#onDeep = (events, transaction) => this.#emit(changedIds(events), transaction.origin);
    this.#map.observeDeep(this.#onDeep);
    this.#offCodec = scope.onCodecChanged(() => {
      this.#notify({ ids: new Set(), local: false, reason: 'codec' });
    });
  }

  /** Creates a record; returns it as read back. Throws on read-only Spaces and invalid fields. */
  create(fields: CreateInput<C>, options: { id?: string } = {}): ReadRecord<C> {
    this.#scope.assertWritable();
    checkRequired(this.name, fields);
    const id = options.id ?? newId();
    if (this.#map.has(id)) throw new RangeError(`options.id "${id}" exists in ${this.name}`);
    const complete = { ...this.#defaults(), ...fields };
    const prepared = prepareFields(this.#scope, this.name, id, complete);
    const { actor } = this.#scope.origin;
    const now = Date.now();

    this.#scope.doc.transact(() => {
      const record = newRecordMap(this.#map as Y.Map<unknown>, id, actor, now);
      applyFields(record, prepared, actor, now);
    }, this.#scope.origin);
    return this.get(id) as ReadRecord<C>;
  }

  /** The record, or undefined when missing or soft-deleted (unless `includeDeleted`). */
  get(id: string, options: ListOptions = {}): ReadRecord<C> | undefined {
    const record = this.#recordAt(id);
    if (!record) return undefined;
    if (!options.includeDeleted && record.get('deletedAt') !== undefined) return undefined;
    return readFields(this.#scope, this.name, record) as ReadRecord<C>;
  }

  /** True when a live (not deleted) record has this id. */
  has(id: string): boolean {
    const record = this.#recordAt(id);
    return record !== undefined && record.get('deletedAt') === undefined;
  }

  /** All records in their order (sortOrder / order / creation), ties broken by id. */
  list(options: ListOptions = {}): ReadRecord<C>[] {
    const key = orderField[this.name];
    const records: ReadRecord<C>[] = [];
    for (const id of this.#map.keys()) {
      const record = this.#recordAt(id);
      if (!record) continue;
      if (!options.includeDeleted && record.get('deletedAt') !== undefined) continue;
      records.push(readFields(this.#scope, this.name, record) as ReadRecord<C>);
    }
    // A peer may have written any value: a non-number position sorts as 0 instead of NaN.
    const order = (r: ReadRecord<C>) => {
      const value = (r as Record<string, unknown>)[key];
      return typeof value === 'number' && Number.isFinite(value) ? value : 0;
    };
    return records.sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1));
  }

  /** Changes some fields of a live record; returns it as read back. */
  update(id: string, patch: UpdateInput<C>): ReadRecord<C> {
    this.#scope.assertWritable();
    const record = this.#liveRecord(id);
    const prepared = prepareFields(this.#scope, this.name, id, patch);
    const { actor } = this.#scope.origin;

    this.#scope.doc.transact(() => {
      applyFields(record, prepared, actor, Date.now());
    }, this.#scope.origin);
    return this.get(id) as ReadRecord<C>;
  }

  /**
   * Soft-deletes a record: it keeps its fields so a concurrent edit cannot resurrect half of it.
   */
  remove(id: string): void {
    this.#scope.assertWritable();
    const record = this.#liveRecord(id);
    const { actor } = this.#scope.origin;
    this.#scope.doc.transact(() => {
      const now = Date.now();
      record.set('deletedAt', now);
      record.set('updatedAt', now);
      record.set('__lastActor', actor);
    }, this.#scope.origin);
  }

  /** Calls `observer` after every change of this collection; returns an unsubscribe function. */
  observe(observer: (change: CollectionChange) => void): () => void {
    if (typeof observer !== 'function') throw new TypeError('observer must be a function');
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** The next free position at the end of the list. */
  nextOrder(): number {
    const key = orderField[this.name];
    let max = -1;
    for (const record of this.#map.values()) {
      const value = record instanceof Y.Map ? record.get(key) : undefined;
      if (typeof value === 'number' && value > max) max = value;
    }
    return max + 1;
  }

  /** Stops observing the document and drops every observer. */
  destroy(): void {
    this.#map.unobserveDeep(this.#onDeep);
    this.#offCodec();
    this.#observers.clear();
  }

  /**
   * The record map under `id`, if it is one: a map whose own id matches its key. Anything else
   * (junk from a broken or hostile peer) is invisible to reads and writes.
   * Limit: the types of plaintext fields inside a well-formed record are not checked on read.
   */
  #recordAt(id: string): Y.Map<unknown> | undefined {
    const record = this.#map.get(id);
    return record instanceof Y.Map && record.get('id') === id ? record : undefined;
  }

  #liveRecord(id: string): Y.Map<unknown> {
    const record = this.#recordAt(id);
    if (!record || record.get('deletedAt') !== undefined) {
      throw new RecordNotFoundError(this.name, id);
    }
    return record;
  }

  #defaults(): Record<string, unknown> {
    switch (this.name) {
      case 'tags':
      case 'tagGroups':
        return { sortOrder: this.nextOrder() };
      case 'scenes':
        return { order: this.nextOrder(), layout: 'grid' };
      case 'agents':
        return { role: '', systemPrompt: '', memory: '', kind: 'custom' };
      case 'missions':
        return { state: 'draft', objective: '' };
    }
    return {};
  }

  #emit(ids: Set<string>, origin: unknown): void {
    this.#notify({ ids, local: origin === this.#scope.origin, reason: 'write' });
  }

  #notify(change: CollectionChange): void {
    for (const observer of [...this.#observers]) observer(change);
  }
}

function changedIds(events: Y.YEvent<Y.AbstractType<unknown>>[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.path.length > 0) ids.add(String(event.path[0]));
    else for (const key of event.changes.keys.keys()) ids.add(key);
  }
  return ids;
}

function checkRequired(collection: RecordCollection, fields: unknown): void {
  if (typeof fields !== 'object' || fields === null) {
    throw new TypeError(`fields of "${collection}" must be an object`);
  }
  for (const [field, type] of Object.entries(requiredFields[collection])) {
    if (typeof (fields as Record<string, unknown>)[field] !== type) {
      throw new TypeError(`fields.${field} of "${collection}" must be a ${type}`);
    }
  }
}
