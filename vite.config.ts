import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The gallery: every HTML page under demo/ is an entry, served by `npm start` beside the server.
const demoDir = resolve(import.meta.dirname, 'demo');
const pages = Object.fromEntries(
  readdirSync(demoDir)
    .filter((file) => file.endsWith('.html'))
    .map((file) => [file.replace(/\.html$/, ''), resolve(demoDir, file)]),
);

export default defineConfig({
  root: 'demo',
  publicDir: false,
  server: { host: '127.0.0.1', port: 5173, strictPort: false, fs: { allow: ['..'] } },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/demo'),
    emptyOutDir: true,
    rollupOptions: { input: pages },
  },
});
