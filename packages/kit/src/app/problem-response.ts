import type { Context } from 'hono';
import { toProblem } from '../errors/to-problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Answers `err` as problem+json, keeping headers already set on the context (X-Request-Id). */
export function problemResponse(c: Context, err: unknown): Response {
  const problem = toProblem(err, c.get('requestId'));
  c.header('Cache-Control', 'no-store');
  return c.body(JSON.stringify(problem.body), problem.status as 400, {
    ...problem.headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}
