export interface FixedWindowOptions {
  /** Requests allowed per key in one window; 0 turns the limiter off. */
  limit: number;
  windowMs: number;
  /** Keys tracked per window at most; past this, new keys pass untracked rather than grow memory. */
  maxKeys?: number;
  now?: () => number;
}

export interface Verdict {
  allowed: boolean;
  /** Seconds until the window resets (what Retry-After says). */
  retryAfterSec: number;
}

const ALLOWED: Verdict = { allowed: true, retryAfterSec: 0 };

/**
 * Counts requests per key in fixed windows aligned to the clock. All keys share one window, so
 * when it rolls over the whole table is dropped at once: no per-key timers and no sweeper, and
 * memory is bounded by the keys seen in one window. The price is the usual fixed-window one: a
 * client can fit up to twice the limit around a boundary, which is fine for abuse protection.
 */
export function createFixedWindow({ limit, windowMs, maxKeys = 100_000, now = Date.now }: FixedWindowOptions) {
  let windowStart = 0;
  let counts = new Map<string, number>();

  return function hit(key: string): Verdict {
    if (limit <= 0) return ALLOWED;
    const at = now();
    const start = at - (at % windowMs);
    if (start !== windowStart) {
      windowStart = start;
      counts = new Map();
    }
    const count = (counts.get(key) ?? 0) + 1;
    if (count === 1 && counts.size >= maxKeys) return ALLOWED;
    counts.set(key, count);
    if (count <= limit) return ALLOWED;
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000)) };
  };
}

export type FixedWindow = ReturnType<typeof createFixedWindow>;
