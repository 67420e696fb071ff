import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'services/*'],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    // Integration tests talk to real servers on a 2-core machine: leave room for them.
    // Each test file gets a fresh worker: services keep module-level state (metrics, loggers).
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
