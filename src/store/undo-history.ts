// One undo history over several Yjs UndoManagers: a Space's record collections live in the Space
// doc, its context text in a Y.Doc of its own, and one UndoManager cannot span two docs. Each
// stack item is stamped with a shared counter when it is pushed; undo picks the manager whose
// newest undo item is the most recent, redo the one whose newest redo item is. So the local
// user's edits are undone in the order they were made, whichever document they touched.
import type * as Y from 'yjs';

const STAMP = 'space-kit-undo-order';

/** How the history drives one manager (the context text must seal and log what undo changes). */
export interface UndoTarget {
  undo(): void;
  redo(): void;
}

interface StackItemEvent {
  readonly stackItem: { readonly meta: Map<unknown, unknown> };
  readonly origin: unknown;
  readonly type: 'undo' | 'redo';
}

export class UndoHistory {
  readonly #targets = new Map<Y.UndoManager, UndoTarget>();
  readonly #offs = new Map<Y.UndoManager, () => void>();
  #clock = 0;

  /** Adds a manager (with how to undo and redo through it); returns the function to drop it. */
  track(manager: Y.UndoManager, target: UndoTarget): () => void {
    const onAdded = (event: StackItemEvent) => {
      event.stackItem.meta.set(STAMP, ++this.#clock);
      // A new edit (not an undo or redo) makes every redo stale, as in a single manager.
      if (event.type === 'undo' && event.origin !== manager) {
        for (const other of this.#targets.keys()) if (other !== manager) other.clear(false, true);
      }
    };
    manager.on('stack-item-added', onAdded);
    this.#targets.set(manager, target);
    const off = () => {
      manager.off('stack-item-added', onAdded);
      this.#targets.delete(manager);
      this.#offs.delete(manager);
    };
    this.#offs.set(manager, off);
    return off;
  }

  canUndo(): boolean {
    return this.#newest('undoStack') !== undefined;
  }

  canRedo(): boolean {
    return this.#newest('redoStack') !== undefined;
  }

  /** Undoes the most recent step of any tracked manager; false when there is none. */
  undo(): boolean {
    const manager = this.#newest('undoStack');
    if (!manager) return false;
    this.#targets.get(manager)?.undo();
    return true;
  }

  /** Redoes the most recently undone step; false when there is none. */
  redo(): boolean {
    const manager = this.#newest('redoStack');
    if (!manager) return false;
    this.#targets.get(manager)?.redo();
    return true;
  }

  /** Stops listening to every manager (the managers are their owners' to destroy). */
  destroy(): void {
    for (const off of [...this.#offs.values()]) off();
  }

  #newest(stack: 'undoStack' | 'redoStack'): Y.UndoManager | undefined {
    let newest: Y.UndoManager | undefined;
    let newestStamp = -1;
    for (const manager of this.#targets.keys()) {
      const top = manager[stack].at(-1);
      if (!top) continue;
      const stamp = Number(top.meta.get(STAMP) ?? 0);
      if (stamp > newestStamp) {
        newest = manager;
        newestStamp = stamp;
      }
    }
    return newest;
  }
}
