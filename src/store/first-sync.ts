// The first open of a document this device never had. Setting it up at once (migration, keyring,
// the default agent and scene) would race the copy other devices already wrote: the two new
// record maps under one deterministic id are concurrent, Y.Map keeps only one, and a rename made
// elsewhere can be lost. So when the document is empty locally and has a remote source, the
// store waits for the first sync, bounded so that a device that cannot reach the server still
// starts.
import type { OpenedDoc } from './open-spaces.ts';

/** How long an empty document waits for its remote source by default. */
export const DEFAULT_FIRST_SYNC_TIMEOUT_MS = 3000;

/** True when nothing was ever written to or loaded into `opened.doc`. */
export function isEmptyLocally(opened: OpenedDoc): boolean {
  return opened.doc.store.clients.size === 0;
}

/**
 * Settles once `opened` synced with its remote source, after `timeoutMs`, or at once when the
 * document has local data or no remote source. Never rejects: a refused or closed connection
 * means there is nothing to wait for.
 */
export async function awaitFirstSync(opened: OpenedDoc, timeoutMs: number): Promise<void> {
  if (!opened.whenRemoteSynced || !isEmptyLocally(opened)) return;
  // Limit: after the timeout the defaults are written anyway; if the server's copy arrives later
  // the old race is back (a rename of the default agent made elsewhere may be lost).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  try {
    await Promise.race([opened.whenRemoteSynced().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
