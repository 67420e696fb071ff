import { Problem } from '@convene/contracts';
import { z } from '@hono/zod-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem-response.ts';

type Operation = {
  parameters?: Array<{ name?: string; in?: string }>;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
};
type Document = { paths?: object };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const problemSchema = z.toJSONSchema(Problem, { io: 'output', target: 'draft-2020-12' });
delete (problemSchema as { $schema?: string }).$schema;
const problem = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

/**
 * What the generated document leaves out or gets wrong about every kit route, put right:
 * - every operation that takes input (parameters or a body) can answer 400: the validation hook
 *   refuses what its schemas refuse, and a body that is not JSON is refused before any schema runs;
 * - every paginated list can answer 404 for a page past the last (pageParams, as DRF does);
 * - a regex with flags (`/^\p{L}+$/u`) reaches the document with its flags glued to the pattern
 *   (`^\p{L}+$/u`, a zod-to-openapi slip), which would make the pattern demand a literal "/u".
 * A route that forgets a status would still answer it, so the document says so for every one.
 */
export function completeDocument<D extends Document>(document: D): D {
  for (const item of Object.values(document.paths ?? {}) as object[]) {
    for (const [method, value] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const operation = value as Operation;
      operation.responses ??= {};
      if (operation.parameters?.length || operation.requestBody) {
        operation.responses['400'] ??= problem('Invalid input (errors names the fields).');
      }
      if (operation.parameters?.some((p) => p.in === 'query' && p.name === 'page')) {
        operation.responses['404'] ??= problem('Not found, or a page past the last one.');
      }
    }
  }
  stripPatternFlags(document);
  return document;
}

function stripPatternFlags(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripPatternFlags(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, inner] of Object.entries(record)) {
    if (key === 'pattern' && typeof inner === 'string') record[key] = inner.replace(/\/[dgimsuvy]+$/, '');
    else stripPatternFlags(inner);
  }
}
