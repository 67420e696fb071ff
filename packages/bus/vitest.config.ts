import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'bus', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
