import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt up to the maximum', () => {
    const top = (attempt: number) => backoffDelay(attempt, { initialMs: 100, maxMs: 1000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(top)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('keeps at least half of the ceiling so delays still grow under jitter', () => {
    const bottom = (attempt: number) => backoffDelay(attempt, { initialMs: 100, maxMs: 1000, random: () => 0 });
    expect([1, 2, 3, 4, 5].map(bottom)).toEqual([50, 100, 200, 400, 500]);
  });

  it('spreads delays for the same attempt', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4, { initialMs: 100, maxMs: 30_000 })));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });
});
