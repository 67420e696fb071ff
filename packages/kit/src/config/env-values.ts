import { z } from 'zod';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * "1500", "1500ms", "45s", "90m", "12h", "30d", "2w" → milliseconds (a bare number is
 * milliseconds); undefined when it is not a non-negative duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * UNITS[(match[2] ?? 'ms').toLowerCase()]!;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

export interface DurationOptions {
  /** Smallest accepted value in milliseconds (default 0). */
  min?: number;
}

/**
 * The one duration convention for environment variables: the name ends in `_MS`, the value is
 * milliseconds or a number with a unit (`500ms`, `30s`, `15m`, `24h`, `7d`, `2w`). Parses to
 * milliseconds; `fallback` is written the same way.
 */
export function duration(fallback: string | number, { min = 0 }: DurationOptions = {}) {
  return z
    .union([z.string(), z.number()])
    .default(fallback)
    .transform((raw, ctx) => {
      const ms = typeof raw === 'number' ? raw : parseDuration(raw);
      if (ms === undefined || !Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: 'Expected a duration such as 1500, 500ms, 30s, 15m, 24h or 7d' });
        return z.NEVER;
      }
      if (ms < min) {
        ctx.addIssue({ code: 'custom', message: `Must be at least ${min} ms` });
        return z.NEVER;
      }
      return ms;
    });
}

/** The one boolean convention for environment variables: true/false/1/0 (any case). */
export function flag(fallback: boolean) {
  return z
    .string()
    .default(fallback ? 'true' : 'false')
    .transform((raw, ctx) => {
      const value = raw.trim().toLowerCase();
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      ctx.addIssue({ code: 'custom', message: 'Expected true, false, 1 or 0' });
      return z.NEVER;
    });
}
