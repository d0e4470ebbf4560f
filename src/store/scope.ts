// What every piece of a document's store shares: the doc, who writes, which codec seals.
import type * as Y from 'yjs';
import type { Actor } from '../model/actor.ts';
import type { FieldCodec } from '../crypto/field-codec.ts';

/**
 * The transaction origin of the local user's writes through one kit instance. Undo tracks only
 * this origin, and observers report `local: true` only for it.
 */
export interface LocalOrigin {
  readonly kind: 'space-kit-local';
  readonly actor: Actor;
}

/**
 * The origin of writes the kit makes on its own (bootstrap, migrations, imports): attributed to
 * the local user, but not undoable and not a user's intent.
 */
export interface SystemOrigin {
  readonly kind: 'space-kit-system';
  readonly actor: Actor;
}

export type WriteOrigin = LocalOrigin | SystemOrigin;

/** One document as the record code sees it. */
export interface DocScope {
  readonly doc: Y.Doc;
  /** The `spaceId` of FieldContexts for this document (a Space id, or `user:<userId>`). */
  readonly fieldSpaceId: string;
  readonly origin: LocalOrigin;
  readonly systemOrigin: SystemOrigin;
  /** The codec to use now. */
  codec(): FieldCodec;
  /** Throws ReadOnlySpaceError when the document must not be written. */
  assertWritable(): void;
  /** Registers a listener for codec changes; returns an unsubscribe function. */
  onCodecChanged(listener: () => void): () => void;
}
