import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'bus',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests against the real broker and database (the root settings do not reach projects).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
