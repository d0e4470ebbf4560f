// Byte encodings shared by the ciphers: base64url for stored forms, UTF-8 for text, and one
// canonical framing for associated data so no two different tuples can produce the same bytes.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const alphabetIndex = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) alphabetIndex[alphabet.charCodeAt(i)] = i;

/** Encodes bytes as base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes unpadded base64url strictly: any character outside the alphabet, padding, an
 * impossible length or non-zero trailing bits yields undefined, so every byte string has exactly
 * one accepted text form (a changed character can never decode to the same bytes).
 */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? alphabetIndex[code]! : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error rather than silently becoming U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8; undefined for malformed input. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A part of a framed tuple: text (UTF-8), an unsigned 32-bit integer, or raw bytes. */
export type FramePart = string | number | Uint8Array;

/**
 * Frames a tuple of parts into bytes: each part is a 4-byte big-endian length followed by its
 * bytes (integers are 4 bytes big-endian). Length prefixes make the encoding injective, unlike
 * joining strings with a separator that may itself appear inside a part.
 */
export function frame(parts: readonly FramePart[]): Uint8Array {
  // One allocation sized for the worst case (3 UTF-8 bytes per UTF-16 unit), encoded in place:
  // this runs on every field encryption, so it avoids an array per part.
  let capacity = 0;
  for (const part of parts)
    capacity +=
      4 +
      (typeof part === 'string' ? part.length * 3 : part instanceof Uint8Array ? part.length : 4);
  const out = new Uint8Array(capacity);
  const view = new DataView(out.buffer);
  let offset = 0;
  parts.forEach((part, index) => {
    let length: number;
    if (typeof part === 'string') {
      length = encoder.encodeInto(part, out.subarray(offset + 4)).written;
    } else if (part instanceof Uint8Array) {
      out.set(part, offset + 4);
      length = part.length;
    } else if (Number.isInteger(part) && part >= 0 && part <= 0xffffffff) {
      view.setUint32(offset + 4, part);
      length = 4;
    } else {
      throw new RangeError(`parts[${index}] must be a string, bytes or a uint32 (got ${part})`);
    }
    view.setUint32(offset, length);
    offset += 4 + length;
  });
  return out.slice(0, offset);
}

/** Throws a TypeError naming `argument` unless `value` is a Uint8Array of `length` bytes. */
export function assertBytes(
  value: unknown,
  length: number,
  argument: string,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
    throw new TypeError(`${argument} must be a Uint8Array of ${length} bytes (got ${got})`);
  }
}
