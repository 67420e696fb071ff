import { describe, expect, it } from 'vitest';
import { namespaceTime } from './broker-cleanup.ts';
import { uniqueName } from './infra.ts';

describe('namespaceTime', () => {
  it('reads back when a uniqueName namespace was made, and ignores other names', () => {
    const before = Date.now();
    const name = `${uniqueName('events')}.events.reservations`;
    const at = namespaceTime(name);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(namespaceTime('convene.events')).toBeUndefined();
    expect(namespaceTime('events.reservations.retry.1000')).toBeUndefined();
  });
});
