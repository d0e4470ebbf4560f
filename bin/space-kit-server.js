#!/usr/bin/env node
// The sync server's command-line entry. The server is TypeScript; tsx loads it without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/server/cli.ts');
await main(process.argv.slice(2));
