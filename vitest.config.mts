import { defineConfig } from 'vitest/config';

const withPostgres = {
  globalSetup: ['tests/support/postgres-global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { name: 'db', include: ['tests/db/**/*.test.ts'], ...withPostgres } },
      { test: { name: 'api', include: ['tests/api/**/*.test.ts'], ...withPostgres } },
      { test: { name: 'build', include: ['tests/build/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
