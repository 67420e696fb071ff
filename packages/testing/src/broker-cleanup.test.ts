import { describe, expect, it } from 'vitest';
import { testNamespace } from './broker-cleanup.ts';
import { runTag, uniqueName } from './infra.ts';

describe('testNamespace', () => {
  it('reads back when and by which run a uniqueName namespace was made, and ignores other names', () => {
    const before = Date.now();
    const name = `${uniqueName('events')}.events.reservations`;
    const found = testNamespace(name);
    expect(found?.run).toBe(runTag());
    expect(found?.run).toMatch(/^[0-9a-f]{4}$/);
    expect(found?.at).toBeGreaterThanOrEqual(before);
    expect(found?.at).toBeLessThanOrEqual(Date.now());
    expect(testNamespace('convene.events')).toBeUndefined();
    expect(testNamespace('events.reservations.retry.1000')).toBeUndefined();
  });

  it('tells two runs apart', () => {
    expect(testNamespace('sys_mip3k2a1beef0a1b2c.events.inbox')).toEqual({
      at: Number.parseInt('mip3k2a1', 36),
      run: 'beef',
    });
  });

  it('reads prefixes with underscores too (uniqueName("kit_service"), "bus_markers")', () => {
    expect(testNamespace('kit_service_mip3k2a1beef0a1b2c.kit_demo.work')).toEqual({
      at: Number.parseInt('mip3k2a1', 36),
      run: 'beef',
    });
    expect(testNamespace(`${uniqueName('bus_markers')}.mk.concurrent`)?.run).toBe(runTag());
  });
});
