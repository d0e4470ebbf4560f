// Per-device conventions kept in localStorage under the kit's storage prefix: which Space was
// active, and which scene was active in each Space. Never synced: another device may differ.

/** The part of the Web Storage API the kit uses; `localStorage` fits. */
export interface DeviceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A storage that forgets on reload; used where no localStorage exists (Node, sandboxed frames). */
export function memoryStorage(): DeviceStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

/** `globalThis.localStorage` when it is usable, else a memory storage. */
export function defaultDeviceStorage(): DeviceStorage {
  try {
    const storage = (globalThis as { localStorage?: DeviceStorage }).localStorage;
    if (storage) return storage;
  } catch {
    // Access can throw (storage disabled for the origin); fall through to memory.
  }
  return memoryStorage();
}

export class DeviceConventions {
  constructor(
    private readonly storage: DeviceStorage,
    private readonly prefix: string,
    private readonly userId: string,
  ) {}

  /** The Space this user last had active on this device, if any. */
  get activeSpaceHint(): string | undefined {
    return this.#read(`${this.prefix}:activeSpaceId:${this.userId}`);
  }

  set activeSpaceHint(spaceId: string | undefined) {
    this.#write(`${this.prefix}:activeSpaceId:${this.userId}`, spaceId);
  }

  /** The scene last active in `spaceId` on this device (unchecked: it may be stale). */
  activeSceneId(spaceId: string): string | undefined {
    return this.#read(`${this.prefix}:activeSceneId:${spaceId}`);
  }

  setActiveSceneId(spaceId: string, sceneId: string | undefined): void {
    this.#write(`${this.prefix}:activeSceneId:${spaceId}`, sceneId);
  }

  #read(key: string): string | undefined {
    try {
      return this.storage.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  }

  #write(key: string, value: string | undefined): void {
    try {
      if (value === undefined) this.storage.removeItem(key);
      else this.storage.setItem(key, value);
    } catch {
      // Limit: a full or disabled localStorage loses the hint; the kit falls back to defaults.
    }
  }
}
