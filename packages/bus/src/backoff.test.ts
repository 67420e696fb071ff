import { describe, expect, it, vi } from 'vitest';
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

  it('spreads delays for the same attempt over the upper half of the ceiling, by the random draw', () => {
    const draws = Array.from({ length: 11 }, (_, i) => i / 10);
    const delays = draws.map((r) => backoffDelay(4, { initialMs: 100, maxMs: 30_000, random: () => r }));
    expect(delays).toEqual([400, 440, 480, 520, 560, 600, 640, 680, 720, 760, 800]);
  });

  it('draws its jitter from Math.random unless given another source', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.25);
    try {
      expect(backoffDelay(4, { initialMs: 100, maxMs: 30_000 })).toBe(500);
      expect(random).toHaveBeenCalledTimes(1);
    } finally {
      random.mockRestore();
    }
  });
});
