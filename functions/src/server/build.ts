// `npm run build:server`: the Node server as one file, for `npm start` in a container or VM.
import { join } from 'node:path';
import { REPO_ROOT } from '../db/paths';
import { bundleEntry } from './bundle';

const outfile = join(REPO_ROOT, 'functions', 'dist', 'server.mjs');
await bundleEntry('functions/src/server/node.ts', outfile);
console.log(`built ${outfile}`);
