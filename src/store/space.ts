// One open Space: its collections, its context document, its schema and read-only state, the
// device's active scene, and undo scoped to the local user's own writes.
import * as Y from 'yjs';
import type { Readable } from '../crypto/field-codec.ts';
import { DEFAULT_SCENE_ID } from '../model/defaults.ts';
import type { Locale } from '../model/defaults.ts';
import { canWrite, isSpaceType } from '../model/space.ts';
import type { Role, SpaceType } from '../model/space.ts';
import { bootstrapSpace } from './bootstrap.ts';
import type { CodecSource } from './codecs.ts';
import { Collection } from './collection.ts';
import type { DeviceConventions } from './device.ts';
import { ReadOnlyReason, ReadOnlySpaceError } from './errors.ts';
import { Kontext } from './kontext.ts';
import { recordCollections } from './records.ts';
import { applyFields, newRecordMap, prepareFields, readFields } from './record-codec.ts';
import type { Actor } from '../model/actor.ts';
import type { RecordCollection } from './records.ts';
import { CURRENT_SCHEMA_VERSION, migrate, schemaVersionOf } from './schema.ts';
import type { DocScope, LocalOrigin, SystemOrigin } from './scope.ts';
import { UndoHistory } from './undo-history.ts';

export interface SpaceOptions {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly origin: LocalOrigin;
  readonly systemOrigin: SystemOrigin;
  readonly codecs: CodecSource;
  readonly device: DeviceConventions;
  /** The local user's role here, read live from the user doc's Space list. */
  readonly role: () => Role | undefined;
}

/** A record written by `importRecords`. */
export interface ImportedRecord {
  readonly collection: RecordCollection;
  readonly id: string;
  readonly fields: Record<string, unknown>;
  readonly actor: Actor;
  readonly createdAt: number;
  readonly updatedAt?: number;
  readonly deletedAt?: number;
  /** Write over an existing record instead of skipping it. */
  readonly merge?: boolean;
}

export class Space {
  /** The Space id (also its document's room and storage name). */
  readonly id: string;
  readonly tags: Collection<'tags'>;
  readonly tagGroups: Collection<'tagGroups'>;
  readonly scenes: Collection<'scenes'>;
  readonly agents: Collection<'agents'>;
  readonly missions: Collection<'missions'>;
  /** The Space's collaborative context text. */
  readonly kontext: Kontext;

  readonly #doc: Y.Doc;
  readonly #scope: DocScope;
  readonly #options: SpaceOptions;
  readonly #undo: Y.UndoManager;
  readonly #history = new UndoHistory();
  readonly #codecListeners = new Set<() => void>();
  readonly #sceneListeners = new Set<(sceneId: string) => void>();
  readonly #offCodecs: () => void;
  #closed = false;

  constructor(options: SpaceOptions) {
    this.id = options.id;
    this.#doc = options.doc;
    this.#options = options;
    this.#scope = {
      doc: options.doc,
      fieldSpaceId: options.id,
      origin: options.origin,
      systemOrigin: options.systemOrigin,
      codec: () => options.codecs.codecFor({ kind: 'space', id: options.id }),
      assertWritable: () => this.#assertWritable(),
      onCodecChanged: (listener) => {
        this.#codecListeners.add(listener);
        return () => this.#codecListeners.delete(listener);
      },
    };
    this.#offCodecs = options.codecs.subscribe((scope) => {
      if (scope && (scope.kind !== 'space' || scope.id !== this.id)) return;
      for (const listener of [...this.#codecListeners]) listener();
    });

    migrate(this.#doc, options.systemOrigin, { writable: this.#roleAllowsWrites() });
    this.tags = new Collection(this.#scope, 'tags');
    this.tagGroups = new Collection(this.#scope, 'tagGroups');
    this.scenes = new Collection(this.#scope, 'scenes');
    this.agents = new Collection(this.#scope, 'agents');
    this.missions = new Collection(this.#scope, 'missions');
    this.kontext = new Kontext(this.#scope, this.#history);
    // Only the local user's writes through this kit: remote edits, storage loads and the kit's
    // own bootstrap are never undone. Every write is its own step. The context text has an
    // UndoManager of its own (its own doc); the history interleaves both in time order.
    this.#undo = new Y.UndoManager(
      recordCollections.map((name) => this.#doc.getMap(name)),
      { trackedOrigins: new Set([options.origin]), captureTimeout: 0 },
    );
    this.#history.track(this.#undo, {
      undo: () => this.#undo.undo(),
      redo: () => this.#undo.redo(),
    });
  }

  /** The Space's name from its meta (sealed: may read as a LockedValue). */
  get name(): Readable<string> | undefined {
    return this.#meta().name as Readable<string> | undefined;
  }

  /** The Space's type from its meta, once known. */
  get type(): SpaceType | undefined {
    const type = this.#doc.getMap('meta').get('type');
    return isSpaceType(type) ? type : undefined;
  }

  /** The schema version the document was last written with. */
  get schemaVersion(): number {
    return schemaVersionOf(this.#doc);
  }

  /** True when writes reject; `readOnlyReason` says why. */
  get readOnly(): boolean {
    return this.readOnlyReason !== undefined;
  }

  /** Why the Space cannot be written, or undefined when it can. */
  get readOnlyReason(): ReadOnlyReason | undefined {
    if (this.#closed) return ReadOnlyReason.closed;
    if (schemaVersionOf(this.#doc) > CURRENT_SCHEMA_VERSION) return ReadOnlyReason.newerSchema;
    if (!this.#roleAllowsWrites()) return ReadOnlyReason.viewer;
    return undefined;
  }

  /** True once the handle is closed (evicted from the open set or the kit destroyed). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The scene this device last showed in this Space; a stale or missing id falls back to the
   * default scene (or the first scene when even that is gone).
   */
  get activeSceneId(): string | undefined {
    const stored = this.#options.device.activeSceneId(this.id);
    if (stored !== undefined && this.scenes.has(stored)) return stored;
    if (this.scenes.has(DEFAULT_SCENE_ID)) return DEFAULT_SCENE_ID;
    return this.scenes.list()[0]?.id;
  }

  /** Remembers `sceneId` as this device's active scene in this Space. */
  setActiveSceneId(sceneId: string): void {
    if (!this.scenes.has(sceneId)) throw new RangeError(`sceneId "${sceneId}" is not a scene here`);
    this.#options.device.setActiveSceneId(this.id, sceneId);
    for (const listener of [...this.#sceneListeners]) listener(sceneId);
  }

  /** Calls `listener(sceneId)` after every setActiveSceneId on this handle; returns unsubscribe. */
  onActiveSceneChanged(listener: (sceneId: string) => void): () => void {
    this.#sceneListeners.add(listener);
    return () => this.#sceneListeners.delete(listener);
  }

  /** Renames the Space in its meta. The kit's `spaces.rename` also updates the Space list. */
  rename(name: string): void {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError('name must be a non-empty string');
    }
    this.#assertWritable();
    const prepared = prepareFields(this.#scope, 'meta', 'meta', { name });
    const meta = this.#doc.getMap<unknown>('meta');
    this.#doc.transact(
      () => applyFields(meta, prepared, this.#options.origin.actor, Date.now()),
      this.#options.origin,
    );
  }

  /**
   * Runs `writes` (calls of this Space's collections) as one transaction: observers fire once,
   * and undo treats them as one step.
   */
  batch(writes: () => void): void {
    this.#assertWritable();
    this.#doc.transact(writes, this.#options.origin);
  }

  /**
   * Undoes the local user's last write in this Space (never someone else's): a record change or
   * an edit of the context text, whichever came last.
   */
  undo(): void {
    this.#assertWritable();
    this.#history.undo();
  }

  /** Redoes the last undone write. A new write after an undo clears what could be redone. */
  redo(): void {
    this.#assertWritable();
    this.#history.redo();
  }

  canUndo(): boolean {
    return this.#history.canUndo();
  }

  canRedo(): boolean {
    return this.#history.canRedo();
  }

  /** Called when keys changed and sealed fields may read differently; returns unsubscribe. */
  onCodecChanged(listener: () => void): () => void {
    return this.#scope.onCodecChanged(listener);
  }

  /**
   * Writes the meta, default agent and default scene where missing (first activation).
   * Does nothing on a read-only Space.
   */
  bootstrap(init: { type: SpaceType; name?: string; locale: Locale }): void {
    if (this.readOnly) return;
    bootstrapSpace(this.#scope, init);
  }

  /**
   * Writes records that come from elsewhere (a legacy import) with their own ids, times and
   * actors, in one system transaction that undo ignores. All fields are classified and sealed
   * before anything is written. A record whose id exists is skipped, unless `merge` is set, in
   * which case its fields are written over it. Returns how many records were written.
   */
  importRecords(records: readonly ImportedRecord[]): number {
    this.#assertWritable();
    const prepared = records.map((record) => ({
      record,
      // Limit: imported while locked, sensitive values are stored in plaintext until the at-rest
      // sweep seals them after unlock (and compacts this device's store).
      fields: prepareFields(this.#scope, record.collection, record.id, record.fields, {
        plaintextWhenLocked: true,
      }),
    }));
    let written = 0;
    this.#doc.transact(() => {
      for (const { record, fields } of prepared) {
        const map = this.#doc.getMap<Y.Map<unknown>>(record.collection);
        const existing = map.get(record.id);
        if (existing instanceof Y.Map && !record.merge) continue;
        const target =
          existing instanceof Y.Map
            ? existing
            : newRecordMap(map as Y.Map<unknown>, record.id, record.actor, record.createdAt);
        applyFields(target, fields, record.actor, record.updatedAt ?? record.createdAt);
        if (record.deletedAt !== undefined) target.set('deletedAt', record.deletedAt);
        written++;
      }
    }, this.#options.systemOrigin);
    return written;
  }

  /** Sets plaintext meta fields as the kit (e.g. the legacy import marker). */
  setMeta(fields: { legacyImportedAt?: number }): void {
    this.#assertWritable();
    const prepared = prepareFields(this.#scope, 'meta', 'meta', fields);
    const meta = this.#doc.getMap<unknown>('meta');
    const { actor } = this.#options.systemOrigin;
    this.#doc.transact(
      () => applyFields(meta, prepared, actor, Date.now()),
      this.#options.systemOrigin,
    );
  }

  /** The Space's meta as read (name opened through the codec). */
  get meta(): Readonly<Record<string, unknown>> {
    return this.#meta();
  }

  /** Closes the handle: observers are dropped and writes reject. The document is the kit's. */
  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#offCodecs();
    this.#codecListeners.clear();
    this.#sceneListeners.clear();
    for (const collection of [this.tags, this.tagGroups, this.scenes, this.agents, this.missions]) {
      collection.destroy();
    }
    this.kontext.destroy();
    this.#history.destroy();
    this.#undo.destroy();
  }

  #meta(): Record<string, unknown> {
    return readFields(this.#scope, 'meta', this.#doc.getMap<unknown>('meta'));
  }

  #roleAllowsWrites(): boolean {
    const role = this.#options.role();
    return role === undefined || canWrite(role);
  }

  #assertWritable(): void {
    const reason = this.readOnlyReason;
    if (reason !== undefined) throw new ReadOnlySpaceError(this.id, reason);
  }
}
