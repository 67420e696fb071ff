import { describe, expect, it } from 'vitest';
import { quotaAllows, retryAfterSeconds } from './creation-quota.ts';

const policy = { limit: 5, windowMs: 24 * 3_600_000 };
const now = new Date('2030-01-02T00:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('creation quota', () => {
  it('allows five creations in any rolling 24 hours', () => {
    expect(quotaAllows([1, 2, 3, 4].map(hoursAgo), now, policy)).toBe(true);
    expect(quotaAllows([1, 2, 3, 4, 5].map(hoursAgo), now, policy)).toBe(false);
    expect(quotaAllows([1, 2, 3, 4, 25].map(hoursAgo), now, policy)).toBe(true);
  });

  it('says when the oldest creation in the window leaves it', () => {
    expect(retryAfterSeconds([23, 2, 3, 4, 5].map(hoursAgo), now, policy)).toBe(3600);
    expect(retryAfterSeconds([1].map(hoursAgo), now, policy)).toBe(0);
  });
});
