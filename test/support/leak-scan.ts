// Leak scan: looks for marker strings in raw stored bytes. `findMarkers` works on any bytes
// (a file of the server's storage, say); `scanIndexedDb` reads every key and value of every
// object store of every IndexedDB database of the origin (browser only).

const utf8 = new TextEncoder();

/** The byte patterns a stored string can take: UTF-8, and UTF-16 (little and big endian). */
function patterns(marker: string): Uint8Array[] {
  const le = new Uint8Array(marker.length * 2);
  const be = new Uint8Array(marker.length * 2);
  for (let i = 0; i < marker.length; i++) {
    const code = marker.charCodeAt(i);
    le[i * 2] = code & 0xff;
    le[i * 2 + 1] = code >> 8;
    be[i * 2] = code >> 8;
    be[i * 2 + 1] = code & 0xff;
  }
  return [utf8.encode(marker), le, be];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The markers found in `bytes`, in any of the encodings above. */
export function findMarkers(bytes: Uint8Array, markers: readonly string[]): string[] {
  return markers.filter((marker) => patterns(marker).some((p) => indexOf(bytes, p) >= 0));
}

/** Every byte sequence a stored value holds (strings as UTF-8 and UTF-16, nested values). */
export function valueBytes(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (ArrayBuffer.isView(value)) {
    out.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (typeof value === 'string') {
    out.push(utf8.encode(value));
    out.push(new Uint8Array(new Uint16Array([...value].map((c) => c.charCodeAt(0))).buffer));
  } else if (Array.isArray(value)) for (const item of value) valueBytes(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      valueBytes(key, out);
      valueBytes(item, out);
    }
  }
  return out;
}

/** Where a marker was found. */
export interface LeakHit {
  readonly database: string;
  readonly store: string;
  readonly marker: string;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`opening ${name} was blocked`));
  });
}

/**
 * Reads every key and value of every object store of every IndexedDB database of the origin
 * (or of those whose name passes `only`) and returns each marker hit.
 */
export async function scanIndexedDb(
  markers: readonly string[],
  only: (name: string) => boolean = () => true,
): Promise<LeakHit[]> {
  const hits: LeakHit[] = [];
  for (const info of await indexedDB.databases()) {
    const name = info.name ?? '';
    if (!only(name)) continue;
    const db = await openDatabase(name);
    try {
      for (const store of [...db.objectStoreNames]) {
        const tx = db.transaction(store, 'readonly');
        const [keys, values] = await Promise.all([
          request(tx.objectStore(store).getAllKeys()),
          request(tx.objectStore(store).getAll()),
        ]);
        const found = new Set<string>();
        for (const bytes of valueBytes([keys, values])) {
          for (const marker of findMarkers(bytes, markers)) found.add(marker);
        }
        for (const marker of found) hits.push({ database: name, store, marker });
      }
    } finally {
      db.close();
    }
  }
  return hits;
}
