import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'system',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Several real services, the gateway, the broker and the database in one process per file.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
