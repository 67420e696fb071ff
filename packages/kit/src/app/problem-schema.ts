import { Problem } from '@convene/contracts';
import { PROBLEM_CONTENT_TYPE } from './problem-response.ts';

/**
 * OpenAPI `responses` entries for the errors a route can answer with:
 * `responses: { 200: {...}, ...problemResponses(400, 401, 404) }`.
 */
export function problemResponses<S extends number>(...statuses: S[]) {
  const entries = statuses.map((status) => [
    status,
    { description: descriptions[status] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
  ]);
  return Object.fromEntries(entries) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof Problem } } }
  >;
}

const descriptions: Record<number, string> = {
  400: 'Invalid input (errors names the fields).',
  401: 'Not signed in, or the token is invalid or expired.',
  403: 'Signed in but not allowed.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'Body too large.',
  415: 'Unsupported content type.',
  429: 'Too many requests; see Retry-After.',
  503: 'Not ready.',
};
