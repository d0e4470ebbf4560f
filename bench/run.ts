// `npm run bench`: what encryption costs, as ratios against the plaintext store (Node, in-memory
// documents, no IndexedDB). Exits 1 when sealing makes a tag write more than 5× slower.
import type { CipherCodec } from '../src/crypto/cipher-codec.ts';
import { createSpaceKit } from '../src/kit.ts';
import { SwitchableCodecSource } from '../src/store/codecs.ts';
import { memoryStorage } from '../src/store/device.ts';
import type { SpaceKit } from '../src/store/space-kit.ts';

const MAX_WRITE_RATIO = 5;
const WRITES = 2_000;
const TAGS = 10_000;
const READ = 60;

function start(encrypted: boolean): Promise<SpaceKit> {
  return createSpaceKit({
    user: { id: 'bench', name: 'Bench' },
    persistence: false,
    deviceStorage: memoryStorage(),
    ...(encrypted
      ? { masterKey: new Uint8Array(32).fill(1) }
      : { codecs: new SwitchableCodecSource() }),
  });
}

function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

async function measure(encrypted: boolean) {
  const kit = await start(encrypted);
  const tags = kit.activeSpace.tags;
  const write = time(() => {
    for (let i = 0; i < WRITES; i++) tags.create({ name: `Tag ${i}`, color: '#000' });
  });
  kit.activeSpace.batch(() => {
    for (let i = WRITES; i < TAGS; i++) tags.create({ name: `Tag ${i}`, color: '#000' });
  });
  const codec = kit.internals.keys?.codec as CipherCodec | undefined;
  codec?.clearCache(); // a fresh reader: every read must decrypt
  codec?.resetStats();
  let decryptions = 0;
  const list = time(() => {
    const names = tags
      .list()
      .slice(0, READ)
      .map((tag) => tag.name);
    if (names.length !== READ) throw new Error('list came back short');
  });
  decryptions = codec?.stats.decryptions ?? 0;
  await kit.destroy();
  return { write: write / WRITES, list, decryptions };
}

const plain = await measure(false);
const sealed = await measure(true);
const writeRatio = sealed.write / plain.write;
const listRatio = sealed.list / plain.list;
const rows = [
  ['measure', 'plaintext', 'encrypted', 'ratio'],
  ['tag write (ms each)', plain.write.toFixed(4), sealed.write.toFixed(4), writeRatio.toFixed(2)],
  [
    `list ${TAGS}, read ${READ} names (ms)`,
    plain.list.toFixed(2),
    sealed.list.toFixed(2),
    listRatio.toFixed(2),
  ],
  ['decryptions for that read', '0', String(sealed.decryptions), ''],
];
for (const row of rows)
  process.stdout.write(`${row.map((cell, i) => cell.padEnd(i ? 12 : 34)).join('')}\n`);

if (sealed.decryptions !== READ) {
  process.stderr.write(`expected ${READ} decryptions, got ${sealed.decryptions}\n`);
  process.exitCode = 1;
}
if (writeRatio > MAX_WRITE_RATIO) {
  process.stderr.write(
    `sealing makes a write ${writeRatio.toFixed(1)}× slower (limit ${MAX_WRITE_RATIO}×)\n`,
  );
  process.exitCode = 1;
}
