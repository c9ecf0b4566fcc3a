import { defineConfig } from 'vitest/config';

const sources = ['apps', 'libs', 'workflows', 'activities', 'infra'].flatMap((d) => [`${d}/**/*.test.ts`]);
const exclude = ['**/node_modules/**', '**/dist/**', '.tandem/**'];

export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: sources,
          exclude: [...exclude, '**/*.int.test.ts', '**/*.workflow.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'workflow',
          include: ['**/*.workflow.test.ts'],
          exclude,
          globalSetup: ['libs/testing/src/setup/workflow.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['libs/testing/src/setup/services.setup.ts'],
          // One database and one broker: files run one at a time, tests inside them in order.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // A browser test's expect.poll waits for a page that redraws after an API round trip: on a
          // busy CI machine that can take more than vitest's default 1 s.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
