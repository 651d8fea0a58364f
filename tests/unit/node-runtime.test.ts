// Node 20 is past its end of life; Vercel runs 22 and 24 and takes the version from
// `engines` in the package.json of the project's root directory, `functions/`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const engines = (path: string) => (JSON.parse(read(path)) as { engines?: { node?: string } }).engines?.node;

describe('the Node runtime', () => {
  it('deploys on Node 24 and declares 22 or later for the project', () => {
    expect(engines('functions/package.json')).toBe('24.x');
    expect(engines('package.json')).toBe('>=22');
  });

  it('tests on Node 24 in CI with the command the README gives', () => {
    const version = /NODE24_VERSION = '(\d+)\.\d+\.\d+'/.exec(read('tests/support/node24.ts'))?.[1];
    expect(version).toBe('24');
    expect(read('README.md')).toContain('`npm run test:node24`');
    expect(read('.ci/run')).toMatch(/^npm run test:node24$/m);
  });
});
