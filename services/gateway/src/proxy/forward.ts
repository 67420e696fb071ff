import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { discardBody } from '@convene/kit';
import type { Dispatcher } from 'undici';
import { stripHopByHop } from './forwarded-headers.ts';
import type { WriteNote } from './note-written.ts';
import { RequestBody } from './request-body.ts';
import { ClientGone, classifyFailure, type FailureKind, mayRetry } from './upstream-failure.ts';
import type { Upstream } from './upstreams.ts';

export interface ForwardRequest {
  upstream: Upstream;
  method: string;
  /** Path and query as sent to the service. */
  path: string;
  headers: Record<string, string | string[]>;
  /** Largest body streamed upstream (declared lengths over it were refused at the edge). */
  bodyLimitBytes: number;
  /** Set on the answer whatever the service said (request id, CORS). */
  responseHeaders: Record<string, string>;
  /** Set on the answer unless the service set them (security headers). */
  defaultResponseHeaders: Record<string, string>;
  /** Added to the service's Vary (CORS with a list of origins varies by Origin). */
  vary?: string;
}

export type ForwardResult =
  | { ok: true; status: number }
  /** `answered`: the service's status line already went out, so only cutting the connection is left. */
  | { ok: false; kind: FailureKind; error: unknown; answered: boolean };

interface Exchange extends WriteNote {
  outgoing: ServerResponse;
  request: ForwardRequest;
}

/**
 * Streams one request to a service and its answer back, between the Node request and response
 * objects: undici's `stream()` writes the service's body straight into the ServerResponse and
 * reads the client's body straight from the IncomingMessage, with backpressure both ways and no
 * web Request/Response in between (see the gateway benchmark for why).
 */
export async function forward(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  request: ForwardRequest,
): Promise<ForwardResult> {
  const { upstream, method } = request;
  const hasBody = bodyExpected(incoming);
  const aborter = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) aborter.abort(new ClientGone('client closed the connection'));
  };
  outgoing.once('close', onClose);
  const exchange: Exchange = { outgoing, request, written: false };
  try {
    for (let attempt = 1; ; attempt++) {
      exchange.written = false;
      // A body of its own per attempt: one that undici gave up on leaves the client's stream intact.
      const body = hasBody ? new RequestBody(incoming, request.bodyLimitBytes) : null;
      try {
        await upstream.dispatcher.stream(
          {
            path: request.path,
            method: method as Dispatcher.HttpMethod,
            headers: request.headers,
            body,
            signal: aborter.signal,
            opaque: exchange,
            headersTimeout: upstream.headersTimeoutMs,
            bodyTimeout: upstream.bodyTimeoutMs,
          },
          answer,
        );
        // The service answered before the client's body was all in (it refused the request early):
        // Node closes the connection after such an answer; what the client still sends is read and
        // dropped meanwhile, so the close does not reset the connection under the answer.
        if (!incoming.complete) void discardBody(incoming);
        return { ok: true, status: outgoing.statusCode };
      } catch (error) {
        const answered = outgoing.headersSent;
        const kind = aborter.signal.aborted ? 'client-gone' : classifyFailure(error);
        if (attempt === 1 && !answered && !aborter.signal.aborted) {
          if (mayRetry(error, { method, written: exchange.written, hasBody: body !== null })) continue;
        }
        if (answered && !outgoing.writableFinished) outgoing.destroy();
        return { ok: false, kind, error, answered };
      }
    }
  } finally {
    outgoing.off('close', onClose);
  }
}

/** A Content-Length above 0, or a chunked body: HTTP/1.1 has no other way to send one. */
function bodyExpected(incoming: IncomingMessage): boolean {
  const { headers } = incoming;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/** undici calls this with the service's status and headers; the body then flows into `outgoing`. */
function answer({
  statusCode,
  headers,
  opaque,
}: {
  statusCode: number;
  headers: IncomingHttpHeaders;
  opaque: unknown;
}) {
  const { outgoing, request } = opaque as Exchange;
  stripHopByHop(headers);
  const { defaultResponseHeaders, responseHeaders } = request;
  for (const name in defaultResponseHeaders) headers[name] ??= defaultResponseHeaders[name];
  for (const name in responseHeaders) headers[name] = responseHeaders[name];
  if (request.vary) headers.vary = headers.vary ? `${headers.vary}, ${request.vary}` : request.vary;
  outgoing.writeHead(statusCode, headers);
  return outgoing;
}
