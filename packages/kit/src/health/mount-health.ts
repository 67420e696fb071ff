import type { Hono } from 'hono';
import { problemResponse } from '../app/problem-response.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';

/** A readiness check: ready when it resolves to anything but `false` within the timeout. */
export type ReadyCheck = () => unknown | Promise<unknown>;

export interface HealthOptions {
  checks?: Record<string, ReadyCheck>;
  /** Per check; a check still running after this counts as failed. */
  timeoutMs?: number;
}

/**
 * GET /healthz answers 200 while the process can serve at all (liveness).
 * GET /readyz runs every check at once and answers 200, or 503 naming the checks that failed.
 */
// biome-ignore lint/suspicious/noExplicitAny: mounts on any app, whatever its env
export function mountHealth(app: Hono<any, any, any>, { checks = {}, timeoutMs = 2_000 }: HealthOptions = {}): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const outcomes = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    const results = Object.fromEntries(outcomes);
    const failed = outcomes.filter(([, outcome]) => outcome !== 'ok').map(([name]) => name);
    if (failed.length === 0) return c.json({ status: 'ok', checks: results });
    const error = new AppError(503, ErrorCode.NOT_READY, `Not ready: ${failed.join(', ')}.`, {
      checks: results,
      failed,
      headers: { 'Retry-After': '5' },
    });
    return problemResponse(c, error);
  });
}

async function runCheck(check: ReadyCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
  });
  const attempt = (async () => {
    try {
      return (await check()) === false ? 'failed' : 'ok';
    } catch (err) {
      return `failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
