import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import { upstreamRequestHeaders } from './forwarded-headers.ts';
import type { WriteNote } from './note-written.ts';
import { forwardedTrace } from './trace-context.ts';
import { classifyFailure, mayRetry } from './upstream-failure.ts';
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
    accessToken,
  }: {
    method: Dispatcher.HttpMethod;
    path: string;
    json?: unknown;
    requestId: string;
    trustedHops: number;
    /** The visitor's own session, when the page shows what only they may see (the service checks it). */
    accessToken?: string;
  },
): Promise<ServiceAnswer> {
  const { end: endSpan, ...trace } = forwardedTrace({ upstream, method });
  const headers = upstreamRequestHeaders(incoming, { requestId, trustedHops, ...trace });
  // The page's own form fields and cookies are not the service's business.
  delete headers['content-type'];
  delete headers['content-length'];
  delete headers.cookie;
  delete headers.authorization;
  headers.accept = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const payload = json === undefined ? null : JSON.stringify(json);
  try {
    const { statusCode, body } = await send(upstream, { method, path, headers, payload });
    endSpan({ status: statusCode });
    const text = await body.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { ok: true, status: statusCode, body: parsed };
  } catch (err) {
    endSpan({ error: err });
    return { ok: false, status: classifyFailure(err) === 'timeout' ? 504 : 502, body: undefined };
  }
}

/** One request, sent again once if the pooled socket was closed before it could be written. */
async function send(
  upstream: Upstream,
  {
    method,
    path,
    headers,
    payload,
  }: {
    method: Dispatcher.HttpMethod;
    path: string;
    headers: Record<string, string | string[]>;
    payload: string | null;
  },
) {
  for (let attempt = 1; ; attempt++) {
    const note: WriteNote = { written: false };
    try {
      return await upstream.dispatcher.request({
        method,
        path,
        headers,
        body: payload,
        opaque: note,
        headersTimeout: upstream.headersTimeoutMs,
        bodyTimeout: upstream.bodyTimeoutMs,
      });
    } catch (err) {
      if (attempt === 1 && mayRetry(err, { method, written: note.written, hasBody: payload !== null })) continue;
      throw err;
    }
  }
}
