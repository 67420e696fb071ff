/**
 * The per-event summary is kept as counters (count, sum, distribution) changed by deltas, never
 * recomputed by scanning. A delta is what one create, edit or delete does to the counters.
 */

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];
export type Distribution = Record<`${Rating}`, number>;

export interface SummaryDelta {
  count: number;
  sum: number;
  distribution: Partial<Distribution>;
}

/** The change from `before` to `after` (null: no feedback). */
export function deltaOf(before: number | null, after: number | null): SummaryDelta {
  const distribution: Partial<Distribution> = {};
  const bump = (rating: number, by: number) => {
    const key = String(rating) as `${Rating}`;
    distribution[key] = (distribution[key] ?? 0) + by;
    if (distribution[key] === 0) delete distribution[key];
  };
  if (before !== null) bump(before, -1);
  if (after !== null) bump(after, 1);
  return {
    count: (after === null ? 0 : 1) - (before === null ? 0 : 1),
    sum: (after ?? 0) - (before ?? 0),
    distribution,
  };
}

export function isEmptyDelta(delta: SummaryDelta): boolean {
  return delta.count === 0 && delta.sum === 0 && Object.keys(delta.distribution).length === 0;
}

export interface SummaryCounters {
  count: number;
  sum: number;
  distribution: Partial<Distribution>;
}

export interface SummaryView {
  count: number;
  /** Mean rating rounded to two decimals; null while there is no feedback. */
  average: number | null;
  distribution: Distribution;
}

export function summaryView(counters: SummaryCounters | null): SummaryView {
  const count = counters?.count ?? 0;
  const sum = counters?.sum ?? 0;
  const distribution = Object.fromEntries(
    RATINGS.map((r) => [String(r), counters?.distribution[`${r}`] ?? 0]),
  ) as Distribution;
  return { count, average: count > 0 ? Math.round((sum / count) * 100) / 100 : null, distribution };
}
