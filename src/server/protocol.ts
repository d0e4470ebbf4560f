// Encoding and strict decoding of the room messages (y-websocket protocol plus type 100
// `stored`, see docs/protocol.md). Decoding validates a whole frame before anything is
// applied, so a malformed frame closes its connection and changes nothing.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { ExtraMessage } from '../model/protocol.ts';

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  stored: ExtraMessage.stored,
  membershipChanged: ExtraMessage.membershipChanged,
} as const;

const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** A frame the protocol cannot parse. */
export class MalformedFrameError extends Error {
  override name = 'MalformedFrameError';
}

/** A decoded client message. */
export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array; clientIds: number[] }
  | { type: 'query-awareness' };

function finish<T>(decoder: decoding.Decoder, message: T): T {
  if (decoding.hasContent(decoder)) throw new MalformedFrameError('trailing bytes');
  return message;
}

function readAwarenessClients(update: Uint8Array): number[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const clientIds: number[] = [];
  for (let index = 0; index < count; index++) {
    clientIds.push(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (typeof state !== 'object') throw new MalformedFrameError('awareness state');
  }
  return finish(decoder, clientIds);
}

/** Decodes one binary frame from a client; throws MalformedFrameError for anything else. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.sync) {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SyncType.step1) {
        Y.decodeStateVector(payload);
        return finish(decoder, { type: 'sync-step1', stateVector: payload });
      }
      if (syncType === SyncType.step2 || syncType === SyncType.update) {
        // Reading the whole update proves it parses before the room's document sees it.
        Y.decodeUpdate(payload);
        return finish(decoder, { type: 'update', update: payload });
      }
      throw new MalformedFrameError('unknown sync message');
    }
    if (type === MessageType.awareness) {
      const update = decoding.readVarUint8Array(decoder);
      return finish(decoder, {
        type: 'awareness',
        update,
        clientIds: readAwarenessClients(update),
      });
    }
    if (type === MessageType.queryAwareness) return finish(decoder, { type: 'query-awareness' });
    throw new MalformedFrameError('unknown message type');
  } catch (error) {
    if (error instanceof MalformedFrameError) throw error;
    throw new MalformedFrameError('unreadable frame');
  }
}

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncType.step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  });
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncType.step2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
  });
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncType.update);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, update);
  });
}

/** Message 101, on a user room: the user's memberships changed; the client asks for them. */
export function encodeMembershipChanged(): Uint8Array {
  return message((encoder) => encoding.writeVarUint(encoder, MessageType.membershipChanged));
}

/** Message 100: everything covered by `stateVector` is durably stored. */
export function encodeStored(stateVector: Uint8Array): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MessageType.stored);
    encoding.writeVarUint8Array(encoder, stateVector);
  });
}
