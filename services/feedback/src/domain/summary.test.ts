import { describe, expect, it } from 'vitest';
import { deltaOf, isEmptyDelta, summaryView } from './summary.ts';

describe('deltaOf', () => {
  it('describes a create, an edit, a delete and a no-op edit', () => {
    expect(deltaOf(null, 4)).toEqual({ count: 1, sum: 4, distribution: { 4: 1 } });
    expect(deltaOf(4, 2)).toEqual({ count: 0, sum: -2, distribution: { 4: -1, 2: 1 } });
    expect(deltaOf(2, null)).toEqual({ count: -1, sum: -2, distribution: { 2: -1 } });
    expect(isEmptyDelta(deltaOf(3, 3))).toBe(true);
  });
});

describe('summaryView', () => {
  it('gives every rating a count and the average to two decimals (null when empty)', () => {
    expect(summaryView(null)).toEqual({ count: 0, average: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
    expect(summaryView({ count: 3, sum: 11, distribution: { 5: 1, 4: 1, 2: 1 } })).toEqual({
      count: 3,
      average: 3.67,
      distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 },
    });
  });
});
