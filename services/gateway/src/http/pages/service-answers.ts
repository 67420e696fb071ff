import type { ServiceAnswer } from '../../proxy/call-service.ts';

/** What the service's problem says, for the page to show in its own words' place. */
export function problemDetail(answer: ServiceAnswer): string {
  const detail = (answer.body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' && detail ? detail : 'Something went wrong. Please try again.';
}

/**
 * The service's status when it refused (404, 409, 410, 429 as they are, any other refusal 400);
 * 502/504 when it could not be reached. A throttled link check stays 429: it is not a bad link.
 */
export function pageStatus(answer: ServiceAnswer): 400 | 404 | 409 | 410 | 429 | 502 | 504 {
  if (!answer.ok) return answer.status;
  if ([404, 409, 410, 429].includes(answer.status)) return answer.status as 404 | 409 | 410 | 429;
  return answer.status >= 500 ? 502 : 400;
}

/** A string field of an answer, or undefined (an older service may not send it yet). */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
