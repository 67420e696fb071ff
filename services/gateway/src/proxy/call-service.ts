import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import { upstreamRequestHeaders } from './forwarded-headers.ts';
import { traceContext } from './trace-context.ts';
import { classifyFailure } from './upstream-failure.ts';
import type { Upstream } from './upstreams.ts';

export type ServiceAnswer =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: 502 | 504; body: undefined };

/**
 * A JSON call the gateway makes on a client's behalf (the public pages), with the client's
 * forwarding headers and request id, through the same pool as proxied traffic.
 */
export async function callService(
  upstream: Upstream,
  incoming: IncomingMessage,
  {
    method,
    path,
    json,
    requestId,
    trustedHops,
  }: { method: Dispatcher.HttpMethod; path: string; json?: unknown; requestId: string; trustedHops: number },
): Promise<ServiceAnswer> {
  const headers = upstreamRequestHeaders(incoming, { requestId, trustedHops, ...traceContext(undefined, undefined) });
  // The page's own form fields and cookies are not the service's business.
  delete headers['content-type'];
  delete headers['content-length'];
  delete headers.cookie;
  delete headers.authorization;
  headers.accept = 'application/json';
  if (json !== undefined) headers['content-type'] = 'application/json';
  try {
    const { statusCode, body } = await upstream.pool.request({
      method,
      path,
      headers,
      body: json === undefined ? null : JSON.stringify(json),
      headersTimeout: upstream.headersTimeoutMs,
      bodyTimeout: upstream.bodyTimeoutMs,
    });
    const text = await body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { ok: true, status: statusCode, body: parsed };
  } catch (err) {
    return { ok: false, status: classifyFailure(err) === 'timeout' ? 504 : 502, body: undefined };
  }
}
