// `npm start`: the demo gallery (Vite) and the sync server (embedded storage, dev login) together.
// Either one exiting stops the other, so the terminal never keeps half the system running.
import { spawn } from 'node:child_process';

const children = [
  spawn(process.execPath, ['bin/space-kit-server.js', '--dev'], { stdio: 'inherit' }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit' }),
];

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}

for (const child of children) child.on('exit', (code) => stopAll(code ?? 0));
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
