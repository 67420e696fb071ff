import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'auth',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests run the real service against the real database and broker on a 2-core
    // machine (the root settings do not reach projects).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
