// Locates the system Chromium the browser tests and screenshots run on. Tests never download a
// browser: they use CHROME_PATH or the usual install paths, and say how to install one if absent.
import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The flags every headless run on these machines needs (closed network, no GPU, root). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Absolute path of a Chromium binary, or a thrown Error naming the install command. */
export function findChromium() {
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error('No Chromium found (set CHROME_PATH or run: apt-get install -y chromium)');
  }
  return found;
}
