import { describe, expect, it } from 'vitest';
import { failedAttempts } from './attempts.ts';

const death = (queue: string, count: number, reason = 'expired') => ({ queue, count, reason, exchange: '' });

describe('failedAttempts', () => {
  it('is zero for a first delivery', () => {
    expect(failedAttempts(undefined, 'events.reservations')).toBe(0);
    expect(failedAttempts({}, 'events.reservations')).toBe(0);
  });

  it('counts expiries from the wait queues of this queue only', () => {
    const headers = {
      'x-death': [
        death('events.reservations.retry.5000', 1),
        death('events.reservations.retry.1000', 1),
        death('notifier.email.retry.1000', 4),
        death('events.reservations', 1, 'delivery_limit'),
      ],
    };
    expect(failedAttempts(headers, 'events.reservations')).toBe(2);
  });

  it('uses the bus header when the broker did not keep the x-death history', () => {
    const headers = { 'x-convene-attempts': 3, 'x-death': [death('events.reservations.retry.30000', 1)] };
    expect(failedAttempts(headers, 'events.reservations')).toBe(3);
  });

  it('ignores a malformed header', () => {
    expect(failedAttempts({ 'x-convene-attempts': 'lots' }, 'q')).toBe(0);
  });
});
