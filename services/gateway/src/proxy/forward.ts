import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable, Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import { stripHopByHop } from './forwarded-headers.ts';
import { BodyTooLarge, ClientGone, classifyFailure, type FailureKind, isStaleSocket } from './upstream-failure.ts';
import type { Upstream } from './upstreams.ts';

export interface ForwardRequest {
  upstream: Upstream;
  method: string;
  /** Path and query as sent to the service. */
  path: string;
  headers: Record<string, string | string[]>;
  /** Largest body streamed upstream when the client sent no Content-Length (chunked). */
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

interface Exchange {
  outgoing: ServerResponse;
  request: ForwardRequest;
}

const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
  const body = requestBody(incoming, request.bodyLimitBytes);
  const aborter = new AbortController();
  const onClose = () => {
    if (!outgoing.writableFinished) aborter.abort(new ClientGone('client closed the connection'));
  };
  outgoing.once('close', onClose);
  const exchange: Exchange = { outgoing, request };
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await upstream.pool.stream(
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
        return { ok: true, status: outgoing.statusCode };
      } catch (error) {
        const answered = outgoing.headersSent;
        const kind = aborter.signal.aborted ? 'client-gone' : classifyFailure(error);
        const retry =
          attempt === 1 && !answered && body === null && RETRYABLE_METHODS.has(method) && isStaleSocket(error);
        if (retry) continue;
        if (answered && !outgoing.writableFinished) outgoing.destroy();
        return { ok: false, kind, error, answered };
      }
    }
  } finally {
    outgoing.off('close', onClose);
  }
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

function requestBody(incoming: IncomingMessage, limit: number): Readable | null {
  const length = incoming.headers['content-length'];
  if (length !== undefined && incoming.headers['transfer-encoding'] === undefined) {
    // Over-long declared bodies were refused before forwarding; undici enforces the declared length.
    return length === '0' ? null : incoming;
  }
  if (incoming.headers['transfer-encoding'] === undefined) return null;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > limit) done(new BodyTooLarge(`request body is larger than ${limit} bytes`));
      else done(null, chunk);
    },
  });
  return pipeline(incoming, counter, () => {});
}
