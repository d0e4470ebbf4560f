// The Space's context document ("kontext"): a small Y.Doc of its own whose updates are sealed
// through the codec and appended to a log (a Y.Array in the Space doc). Members apply the entries
// they can open; concurrent edits merge like any Y.Text because the entries are Yjs updates.
import * as Y from 'yjs';
import { fromBase64UrlEncoded, toBase64UrlEncoded } from 'lib0/buffer';
import { isLocked } from '../crypto/field-codec.ts';
import type { Actor } from '../model/actor.ts';
import { newId } from './ids.ts';
import type { DocScope } from './scope.ts';
import type { UndoHistory } from './undo-history.ts';

const COLLECTION = 'kontext';
/** Past this many log entries, the member who edits compacts the log into one snapshot. */
export const KONTEXT_COMPACT_THRESHOLD = 200;
const FIELD = 'update';

/** One log entry as stored in the Space doc. */
interface KontextEntry {
  readonly id: string;
  /** The sealed form of a base64url-encoded Yjs update. */
  readonly update: unknown;
  readonly __lastActor: Actor;
}

/** What kontext observers receive. */
export interface KontextChange {
  /** The change as a Yjs text delta (`{insert}`, `{delete}`, `{retain}` steps). */
  readonly delta: ReadonlyArray<{ insert?: string; delete?: number; retain?: number }>;
  /** True when the local user typed it through this kit. */
  readonly local: boolean;
}

export class Kontext {
  readonly #scope: DocScope;
  readonly #log: Y.Array<KontextEntry>;
  #textDoc = new Y.Doc();
  #text = this.#textDoc.getText('kontext');
  readonly #observers = new Set<(change: KontextChange) => void>();
  /** Entries already merged into the text doc. */
  readonly #applied = new Set<string>();
  /** Entries the codec could not open yet (locked or missing key); retried on codec change. */
  readonly #pending = new Set<string>();
  /** Origin of updates coming from the log, so they are not appended again. */
  readonly #fromLog = { kind: 'space-kit-kontext-log' };
  readonly #fromLocal = { kind: 'space-kit-kontext-local' };
  readonly #onLog = () => this.#applyLog();
  readonly #offCodec: () => void;
  readonly #history: UndoHistory | undefined;
  /** Tracks only the local user's edits of the text (#fromLocal), never the log's. */
  #undo!: Y.UndoManager;
  #untrack: (() => void) | undefined;

  /** `history`: the Space's undo history, which then covers the local user's text edits. */
  constructor(scope: DocScope, history?: UndoHistory) {
    this.#scope = scope;
    this.#history = history;
    this.#log = scope.doc.getArray<KontextEntry>('kontextLog');
    this.#text.observe(this.#onText);
    this.#trackUndo();
    this.#applyLog();
    // Limit: every log change rescans the log; compaction keeps it short.
    this.#log.observe(this.#onLog);
    this.#offCodec = scope.onCodecChanged(() => this.#rebuild());
  }

  /** The text's length in UTF-16 code units. */
  get length(): number {
    return this.#text.length;
  }

  /** True when some log entries could not be opened (locked); the text is incomplete. */
  get incomplete(): boolean {
    return this.#pending.size > 0;
  }

  toString(): string {
    return this.#text.toString();
  }

  /** Inserts `text` at `index`. Throws on read-only Spaces and when the codec cannot seal. */
  insert(index: number, text: string): void {
    if (typeof text !== 'string') throw new TypeError('text must be a string');
    if (!Number.isInteger(index) || index < 0 || index > this.length) {
      throw new RangeError(`index must be an integer in 0..${this.length} (got ${index})`);
    }
    this.#edit(() => this.#text.insert(index, text));
  }

  /** Deletes `length` characters from `index`. */
  delete(index: number, length: number): void {
    if (!Number.isInteger(index) || index < 0 || index > this.length) {
      throw new RangeError(`index must be an integer in 0..${this.length} (got ${index})`);
    }
    if (!Number.isInteger(length) || length < 0 || index + length > this.length) {
      throw new RangeError(
        `length must be an integer in 0..${this.length - index} (got ${length})`,
      );
    }
    this.#edit(() => this.#text.delete(index, length));
  }

  /** Calls `observer` after every change of the text; returns an unsubscribe function. */
  observe(observer: (change: KontextChange) => void): () => void {
    if (typeof observer !== 'function') throw new TypeError('observer must be a function');
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /**
   * Replaces the whole log by one sealed snapshot of the text. Entries appended concurrently by
   * others survive (they are not in the deleted range). Refuses while some entries are locked,
   * since the snapshot would drop them.
   */
  compact(): void {
    this.#scope.assertWritable();
    if (this.#pending.size > 0) {
      throw new Error('Cannot compact the kontext log while some entries are locked');
    }
    const entry = this.#sealEntry(Y.encodeStateAsUpdate(this.#textDoc));
    this.#scope.doc.transact(() => {
      this.#log.delete(0, this.#log.length);
      this.#log.push([entry]);
    }, this.#scope.systemOrigin);
  }

  destroy(): void {
    this.#untrack?.();
    this.#undo.destroy();
    this.#log.unobserve(this.#onLog);
    this.#offCodec();
    this.#observers.clear();
    this.#textDoc.destroy();
  }

  readonly #onText = (event: Y.YTextEvent) => {
    const delta = event.delta as KontextChange['delta'];
    const { origin } = event.transaction;
    this.#notify({ delta, local: origin === this.#fromLocal || origin === this.#undo });
  };

  #notify(change: KontextChange): void {
    for (const observer of [...this.#observers]) observer(change);
  }

  /**
   * Rebuilds the text from the log with the current codec: after a lock, the plaintext is gone
   * from memory; after an unlock, entries that were locked appear. Observers see one replacement.
   */
  #rebuild(): void {
    const before = this.#text.toString();
    this.#text.unobserve(this.#onText);
    this.#untrack?.();
    this.#undo.destroy();
    this.#textDoc.destroy();
    this.#textDoc = new Y.Doc();
    this.#text = this.#textDoc.getText('kontext');
    this.#applied.clear();
    this.#pending.clear();
    this.#applyLog();
    this.#text.observe(this.#onText);
    // Limit: the text doc is rebuilt on lock, unlock and key changes, and its undo steps go with
    // it; undo then reaches only the record collections' earlier steps.
    this.#trackUndo();
    const after = this.#text.toString();
    if (after === before) return;
    const delta: { insert?: string; delete?: number }[] = [];
    if (before.length > 0) delta.push({ delete: before.length });
    if (after.length > 0) delta.push({ insert: after });
    this.#notify({ delta, local: false });
  }

  #trackUndo(): void {
    // Every edit is its own step, like the record collections' (captureTimeout 0).
    this.#undo = new Y.UndoManager(this.#text, {
      trackedOrigins: new Set([this.#fromLocal]),
      captureTimeout: 0,
    });
    this.#untrack = this.#history?.track(this.#undo, {
      // Undo and redo run in the UndoManager's own transaction (its origin), so they are logged
      // like any local edit but not recorded as a new step.
      undo: () => this.#commit(() => this.#undo.undo()),
      redo: () => this.#commit(() => this.#undo.redo()),
    });
  }

  #edit(change: () => void): void {
    this.#commit(() => this.#textDoc.transact(change, this.#fromLocal));
  }

  /** Runs `change` on the text doc, then seals its update and appends it to the log. */
  #commit(change: () => void): void {
    this.#scope.assertWritable();
    // Probe the codec first so a locked kit fails before the text changes.
    this.#scope.codec().seal(this.#context('probe'), '');
    const updates: Uint8Array[] = [];
    const capture = (u: Uint8Array) => updates.push(u);
    this.#textDoc.on('update', capture);
    try {
      change();
    } finally {
      this.#textDoc.off('update', capture);
    }
    if (updates.length === 0) return;
    const update = Y.mergeUpdates(updates);

    // Limit: if sealing fails after the probe passed, the edit stays local to this kit instance.
    const entry = this.#sealEntry(update);
    this.#applied.add(entry.id);
    this.#scope.doc.transact(() => this.#log.push([entry]), this.#scope.origin);
    // Safe under concurrency: the snapshot deletes only the entries this kit has seen (and
    // applied); entries others append meanwhile stay in the log and are applied by everyone.
    if (this.#log.length > KONTEXT_COMPACT_THRESHOLD && this.#pending.size === 0) this.compact();
  }

  #sealEntry(update: Uint8Array): KontextEntry {
    const id = newId();
    const sealed = this.#scope.codec().seal(this.#context(id), toBase64UrlEncoded(update));
    this.#applied.add(id);
    return { id, update: sealed, __lastActor: this.#scope.origin.actor };
  }

  #applyLog(): void {
    const codec = this.#scope.codec();
    for (const entry of this.#log.toArray()) {
      if (this.#applied.has(entry.id) || this.#pending.has(entry.id)) continue;
      const opened = codec.open(this.#context(entry.id), entry.update);
      if (isLocked(opened) || typeof opened !== 'string') {
        this.#pending.add(entry.id);
        continue;
      }
      Y.applyUpdate(this.#textDoc, fromBase64UrlEncoded(opened), this.#fromLog);
      this.#applied.add(entry.id);
    }
  }

  #context(recordId: string) {
    return { spaceId: this.#scope.fieldSpaceId, collection: COLLECTION, recordId, field: FIELD };
  }
}
