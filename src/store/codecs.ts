// Where the store gets its FieldCodec. The codec can change at run time (unlock, lock, a new key
// epoch), so the store asks for it on every read and write and listens for changes to refresh.
import { plaintextCodec } from '../crypto/field-codec.ts';
import type { FieldCodec } from '../crypto/field-codec.ts';

/** Which document a codec is for. Same shape as the sync layer's DocRef. */
export interface CodecScope {
  readonly kind: 'space' | 'user';
  readonly id: string;
}

/**
 * The `spaceId` a FieldContext carries for user-doc fields. The colon cannot occur in a Space id,
 * so a value sealed in the user doc can never be opened as a Space's value.
 */
export function userFieldScope(userId: string): string {
  return `user:${userId}`;
}

export interface CodecSource {
  /** The codec to use now for fields of this document. */
  codecFor(scope: CodecScope): FieldCodec;
  /**
   * Called when codecs changed (keys unlocked, locked, rotated); `scope` undefined means every
   * document. Returns an unsubscribe function.
   */
  subscribe(listener: (scope?: CodecScope) => void): () => void;
}

/** A codec source whose one codec can be swapped; what the kit uses until keys exist. */
export class SwitchableCodecSource implements CodecSource {
  #codec: FieldCodec;
  readonly #listeners = new Set<(scope?: CodecScope) => void>();

  constructor(codec: FieldCodec = plaintextCodec) {
    this.#codec = codec;
  }

  codecFor(): FieldCodec {
    return this.#codec;
  }

  /** Replaces the codec for every document and tells subscribers to refresh. */
  set(codec: FieldCodec): void {
    this.#codec = codec;
    for (const listener of [...this.#listeners]) listener(undefined);
  }

  subscribe(listener: (scope?: CodecScope) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
