import { defineProject } from 'vitest/config';

export default defineProject({
  // Inherit the root config (timeouts, isolation; the global setup's servers reach every project).
  extends: true,
  test: {
    isolate: true,
    name: 'kit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Some tests here spawn node processes and talk to real servers on a busy 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
