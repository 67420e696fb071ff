import { TestClock } from '@convene/testing';
import { test } from 'vitest';
import { type SystemOptions, startSystem } from './stack.ts';

/**
 * A vitest `test` whose file-scoped fixtures are a whole Convene and its clock, made on first use in
 * a file (a test or a `beforeAll` of the returned API) and stopped after the file's last test:
 *   `clock`  a running TestClock every service reads (freeze/advance it to move time);
 *   `stack`  startSystem(options) on that clock.
 * Two APIs in one file are two stacks (e.g. one with other limits, started only if its tests run).
 *
 *   const it = systemTest({ services: ['auth', 'events'] });
 *   it('registers through the gateway', async ({ stack }) => { ... });
 */
export function systemTest(options: Omit<SystemOptions, 'now'> = {}) {
  return (
    test
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      .extend('clock', { scope: 'file' }, async ({}) => new TestClock())
      .extend('stack', { scope: 'file' }, async ({ clock }, { onCleanup }) => {
        const stack = await startSystem({ ...options, now: clock.now });
        onCleanup(() => stack.stop());
        return stack;
      })
  );
}
