import { defineConfig } from 'vitest/config';

// In CI the JSON reporter feeds the plain "N passed, N failed" line that .ci/run prints.
const reporters = process.env.CI ? ['default', 'json'] : ['default'];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters,
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
