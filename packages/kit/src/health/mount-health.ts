import type { Hono } from 'hono';
import { problemResponse } from '../app/problem-response.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import type { DependencyStates } from './dependency-states.ts';

/** A dependency check: up when it resolves to anything but `false` within the timeout. */
export type ReadyCheck = () => unknown | Promise<unknown>;

export interface HealthOptions {
  /**
   * What the service cannot serve its API without (its database): /readyz answers 503 while one
   * fails, so a load balancer stops sending it requests.
   */
  ready?: Record<string, ReadyCheck>;
  /**
   * What the service rides out without (the broker: writes wait in the outbox): /healthz reports
   * `degraded` while one fails, still with 200, and /readyz does not look at them.
   */
  degraded?: Record<string, ReadyCheck>;
  /** Per check; a check still running after this counts as failed. */
  timeoutMs?: number;
  /** Where verdicts go (one log line per change, the dependency gauge). */
  states?: DependencyStates;
}

export interface Health {
  /** Runs every check once and records the verdicts (a background watch, a scrape). */
  checkAll(): Promise<void>;
}

/**
 * GET /healthz: liveness. 200 while the process can answer at all, with the state of the
 * `degraded` dependencies: `{status: 'ok' | 'degraded', checks: {bus: 'ok' | why not}}`. A
 * dependency outage never fails it: restarting the process would not bring the broker back.
 * GET /readyz: readiness. Runs the `ready` checks at once and answers 200, or a 503 problem
 * naming the ones that failed.
 */
// biome-ignore lint/suspicious/noExplicitAny: mounts on any app, whatever its env
export function mountHealth(app: Hono<any, any, any>, options: HealthOptions = {}): Health {
  const { ready = {}, degraded = {}, timeoutMs = 2_000, states } = options;
  const run = async (checks: Record<string, ReadyCheck>, required: boolean) => {
    const outcomes = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    for (const [name, verdict] of outcomes) states?.record(name, required, verdict);
    return outcomes;
  };

  app.get('/healthz', async (c) => {
    if (Object.keys(degraded).length === 0) return c.json({ status: 'ok' });
    const outcomes = await run(degraded, false);
    const status = outcomes.every(([, verdict]) => verdict === 'ok') ? 'ok' : 'degraded';
    return c.json({ status, checks: Object.fromEntries(outcomes) });
  });
  app.get('/readyz', async (c) => {
    const outcomes = await run(ready, true);
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

  return {
    async checkAll() {
      await Promise.all([run(ready, true), run(degraded, false)]);
    },
  };
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
