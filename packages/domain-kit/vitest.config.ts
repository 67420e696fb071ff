import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    isolate: true,
    name: 'domain-kit',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
