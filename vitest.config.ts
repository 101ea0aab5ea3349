import { defineConfig } from 'vitest/config';

// In CI the JSON reporter feeds the plain "N passed, N failed" line that .ci/run prints.
const reporters = process.env.CI ? ['default', 'json'] : ['default'];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // expect.poll waits for work on the server (a re-check, a notice PDF); its default second is shorter than that
    // work takes when both cores are busy with the other test file, and an early give-up is a false failure.
    expect: { poll: { timeout: 30_000 } },
    pool: 'forks',
    maxWorkers: 2,
    reporters,
    outputFile: { json: '.tmp/vitest-results.json' },
  },
});
