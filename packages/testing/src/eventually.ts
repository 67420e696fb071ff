export interface EventuallyOptions {
  /** Give up after this long; a bound for failing, never a duration the test relies on. Default 10 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 50 ms. */
  intervalMs?: number;
  /** Names what is awaited in the error when time runs out. */
  what?: string;
}

/**
 * Bounded polling: calls `check` until it returns a truthy value, which it resolves with. A check
 * that throws or returns a falsy value is tried again after `intervalMs`; once `timeoutMs` has
 * passed it rejects, carrying the last error (as `cause` and in the message). An attempt that
 * hangs cannot hold it past the bound either.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' }: EventuallyOptions = {},
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = performance.now() + timeoutMs;
  let last: { error: unknown } | { value: unknown } | undefined;
  for (let attempts = 1; ; attempts++) {
    const outcome = await settleBefore(check, deadline - performance.now());
    if (outcome === TIMED_OUT) throw timedOut(what, timeoutMs, attempts, true, last);
    if ('value' in outcome && outcome.value) return outcome.value as Exclude<T, false | null | undefined | 0 | ''>;
    last = outcome;
    const left = deadline - performance.now();
    if (left <= 0) throw timedOut(what, timeoutMs, attempts, false, last);
    await sleep(Math.min(intervalMs, left));
  }
}

const TIMED_OUT = Symbol('timed out');

/** Runs one attempt, unless it is still pending after `ms`. */
async function settleBefore<T>(
  check: () => T | Promise<T>,
  ms: number,
): Promise<{ value: T } | { error: unknown } | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const attempt = (async () => {
    try {
      return { value: await check() };
    } catch (error) {
      return { error };
    }
  })();
  const bound = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(ms, 0));
  });
  try {
    return await Promise.race([attempt, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function timedOut(
  what: string,
  timeoutMs: number,
  attempts: number,
  stillRunning: boolean,
  last: { error: unknown } | { value: unknown } | undefined,
): Error {
  const tries = `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}${stillRunning ? ', the last still running' : ''}`;
  let detail = '';
  if (last && 'error' in last)
    detail = `; last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`;
  else if (last) detail = `; last value: ${String(last.value)}`;
  return new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${tries})${detail}`, {
    cause: last && 'error' in last ? last.error : undefined,
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
