import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    isolate: true,
    name: 'kit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Projects do not inherit the root's timeouts; some tests here spawn node processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
