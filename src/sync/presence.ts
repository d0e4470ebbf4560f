// Who else is in a document right now, over Yjs awareness. Our local state is
// `{user: {id, name, color}, sceneId}`; remote states are untrusted input and are validated
// before they reach the UI.
import type { Awareness } from 'y-protocols/awareness';
import { assertValidId, isValidId } from '../model/space.ts';

/** The local user as others see them. */
export interface PresenceUser {
  readonly id: string;
  readonly name: string;
  /** A CSS hex color (`#rgb` or `#rrggbb`); derived from the user id when absent. */
  readonly color?: string;
}

/** Another user present in the document. */
export interface Peer {
  /** The awareness client id of the tab shown (the most recently active one of this user). */
  readonly clientId: number;
  readonly userId: string;
  readonly name: string;
  readonly color: string;
  /** The scene they are looking at, or null. */
  readonly sceneId: string | null;
}

interface PresenceState {
  user: { id: string; name: string; color: string };
  sceneId: string | null;
}

const hexColor = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const maxNameLength = 200;

/** A stable color for a user id, so a user keeps their color on every device. */
export function colorForUser(userId: string): string {
  let hash = 2166136261;
  for (let index = 0; index < userId.length; index++) {
    hash = Math.imul(hash ^ userId.charCodeAt(index), 16777619) >>> 0;
  }
  return hslToHex(hash % 360, 0.65, 0.45);
}

/** Presence in one document: publishes the local user and lists the other users. */
export class Presence {
  readonly #awareness: Awareness;
  readonly #user: PresenceState['user'];
  readonly #listeners = new Set<(peers: readonly Peer[]) => void>();
  #peers: readonly Peer[] = [];
  #destroyed = false;

  constructor(awareness: Awareness, user: PresenceUser) {
    if (!awareness || typeof awareness.setLocalState !== 'function') {
      throw new TypeError('awareness must be a y-protocols Awareness');
    }
    assertValidId(user?.id, 'user.id');
    if (typeof user.name !== 'string') throw new TypeError('user.name must be a string');
    if (user.color !== undefined && !hexColor.test(user.color)) {
      throw new TypeError('user.color must be a hex color like #3366cc');
    }
    this.#awareness = awareness;
    this.#user = {
      id: user.id,
      name: user.name.slice(0, maxNameLength),
      color: user.color ?? colorForUser(user.id),
    };
    awareness.setLocalState({ user: this.#user, sceneId: null } satisfies PresenceState);
    awareness.on('change', this.#onChange);
    this.#peers = this.#readPeers();
  }

  /** The scene the local user is looking at (shown to others); null for none. */
  setScene(sceneId: string | null): void {
    if (this.#destroyed) return;
    if (sceneId !== null) assertValidId(sceneId, 'sceneId');
    this.#awareness.setLocalStateField('sceneId', sceneId);
  }

  /**
   * The other users present, one entry per user even when they have several tabs open, sorted
   * by name. Our own user (this tab and our other tabs) is not listed.
   */
  peers(): readonly Peer[] {
    return this.#peers;
  }

  /** Calls `listener` with the new peer list whenever it changes. Returns the unsubscribe. */
  subscribe(listener: (peers: readonly Peer[]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (this.#destroyed) return () => {};
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Removes our state (others see us leave) and all listeners. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#awareness.off('change', this.#onChange);
    this.#awareness.setLocalState(null);
    this.#listeners.clear();
    this.#peers = [];
  }

  #onChange = () => {
    const next = this.#readPeers();
    if (samePeers(next, this.#peers)) return;
    this.#peers = next;
    for (const listener of [...this.#listeners]) listener(next);
  };

  #readPeers(): readonly Peer[] {
    const byUser = new Map<string, { peer: Peer; lastUpdated: number }>();
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      const peer = parsePeer(clientId, state);
      if (!peer || peer.userId === this.#user.id) continue;
      const lastUpdated = this.#awareness.meta.get(clientId)?.lastUpdated ?? 0;
      const known = byUser.get(peer.userId);
      if (!known || lastUpdated > known.lastUpdated) byUser.set(peer.userId, { peer, lastUpdated });
    }
    return Object.freeze(
      [...byUser.values()]
        .map(({ peer }) => peer)
        .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId)),
    );
  }
}

function parsePeer(clientId: number, state: unknown): Peer | null {
  const { user, sceneId } = (state ?? {}) as Partial<PresenceState>;
  if (!user || typeof user !== 'object' || !isValidId(user.id)) return null;
  if (typeof user.name !== 'string') return null;
  return Object.freeze({
    clientId,
    userId: user.id,
    name: user.name.slice(0, maxNameLength),
    color:
      typeof user.color === 'string' && hexColor.test(user.color)
        ? user.color
        : colorForUser(user.id),
    sceneId: isValidId(sceneId) ? sceneId : null,
  });
}

function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((peer, index) => {
    const other = b[index]!;
    return (
      peer.clientId === other.clientId &&
      peer.userId === other.userId &&
      peer.name === other.name &&
      peer.color === other.color &&
      peer.sceneId === other.sceneId
    );
  });
}

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const amplitude = saturation * Math.min(lightness, 1 - lightness);
  const channel = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    const value = lightness - amplitude * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
