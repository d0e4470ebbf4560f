/** The flags every headless run on these machines needs (closed network, no GPU, root). */
export const chromiumArgs: readonly string[];
/** Absolute path of a Chromium binary, or a thrown Error naming the install command. */
export function findChromium(): string;
