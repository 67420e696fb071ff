/**
 * Why a forwarded request got no (complete) answer, in the terms the client is told:
 * unavailable → 502, timeout → 504, too-large → 413, client-gone → nothing (the client left).
 */
export type FailureKind = 'unavailable' | 'timeout' | 'too-large' | 'client-gone' | 'bad-request';

/** The request body grew past the limit while streaming (chunked uploads carry no Content-Length). */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

/** Raised on our side when the client closed its connection before the answer was sent. */
export class ClientGone extends Error {
  override readonly name = 'ClientGone';
}

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** A keep-alive socket the service closed under us (reset, broken pipe, "other side closed"). */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
/** Safe to send twice (RFC 9110 §9.2.2) when they carry no body that was already read. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

export function classifyFailure(err: unknown): FailureKind {
  for (const candidate of chain(err)) {
    if (candidate instanceof BodyTooLarge) return 'too-large';
    if (candidate instanceof ClientGone) return 'client-gone';
    const code = (candidate as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TIMEOUTS.has(code)) return 'timeout';
    // The client declared more body than it sent: its upload broke, not the service.
    if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH') return 'bad-request';
  }
  return 'unavailable';
}

export function isStaleSocket(err: unknown): boolean {
  return chain(err).some((candidate) => STALE_SOCKET.has(String((candidate as { code?: unknown }).code)));
}

/**
 * Whether a request that failed on a closed socket may go again (once, on another socket): when
 * it was never written (whatever its method: the service cannot have seen it), or when it is a
 * bodiless GET/HEAD/OPTIONS. A pool failure must not become a 502 for a request that never left.
 */
export function mayRetry(
  err: unknown,
  { method, written, hasBody }: { method: string; written: boolean; hasBody: boolean },
) {
  if (!isStaleSocket(err) || classifyFailure(err) !== 'unavailable') return false;
  return !written || (!hasBody && IDEMPOTENT.has(method));
}

/** The error, its causes, and an AggregateError's members (happy eyeballs tries several addresses). */
function chain(err: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue = [err];
  while (queue.length && seen.length < 10) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || seen.includes(next)) continue;
    seen.push(next);
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    if (cause) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return seen;
}

/** What the client is told when a service is down (502) or slow (504). */
export function upstreamProblem(status: 502 | 504, upstream: string) {
  return status === 504
    ? { status, code: 'UPSTREAM_TIMEOUT', detail: `The ${upstream} service did not answer in time.` }
    : { status, code: 'UPSTREAM_UNAVAILABLE', detail: `The ${upstream} service is unavailable.` };
}
