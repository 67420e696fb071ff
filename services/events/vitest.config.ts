import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'events',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real servers (and, with EVENTS_THROUGH_GATEWAY=1, a gateway) on a
    // shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
