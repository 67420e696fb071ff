import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'gateway',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real servers (fake upstreams, the real broker) on a 2-core
    // machine: the root settings do not reach projects, and vitest's 5 s default is a race.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
