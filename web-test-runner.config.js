import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { findChromium, chromiumArgs } from './scripts/find-chromium.js';
import { testServerPlugin } from './test/support/server-plugin.js';

let executablePath;
try {
  executablePath = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

export default {
  files: ['test/browser/**/*.test.ts', 'components/**/*.test.ts'],
  // The production build of Lit: its dev-mode banner would be console output in every test.
  nodeResolve: { exportConditions: ['production'] },
  // Two cores: one browser page at a time per file keeps IndexedDB timings steady.
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    testServerPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
};
