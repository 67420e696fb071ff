import { startClientSpan } from '@convene/kit';
import { randomHex } from './random-hex.ts';
import type { Upstream } from './upstreams.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export interface TraceContext {
  traceparent: string;
  tracestate: string | undefined;
}

/** The trace headers of one call to a service, and how to close its span. */
export interface ForwardedTrace extends TraceContext {
  /** The service's status, or the failure (only its kind is recorded). */
  end(outcome: { status?: number | undefined; error?: unknown }): void;
}

export interface ForwardedCall {
  upstream: Pick<Upstream, 'name' | 'host'>;
  method: string;
  /** The route template the call goes to (`/api/invitations/:token/accept`), never the real path. */
  template?: string | undefined;
  /** The client's trace headers, continued when tracing is off (with it on, the server span has them). */
  incoming?: { traceparent: string | undefined; tracestate: string | undefined };
}

/**
 * The trace context a call to a service carries. With tracing on, a CLIENT span under the
 * gateway's server span is the service's parent, and its traceparent is the only one the request
 * carries (the undici and http instrumentations are off in the gateway). With tracing off the
 * gateway still continues the client's trace or starts one, so the services' log lines of one
 * request share a trace id.
 */
export function forwardedTrace({ upstream, method, template, incoming }: ForwardedCall): ForwardedTrace {
  const span = startClientSpan(template ? `${method} ${template}` : method, () => {
    const colon = upstream.host.lastIndexOf(':');
    return {
      'http.request.method': method,
      'server.address': colon === -1 ? upstream.host : upstream.host.slice(0, colon),
      'server.port': colon === -1 ? 80 : Number(upstream.host.slice(colon + 1)),
      ...(template ? { 'url.template': template } : {}),
      'convene.upstream': upstream.name,
    };
  });
  // No span, or a tracer without a W3C propagator to write it: the context is forwarded as without tracing.
  if (!span?.headers.traceparent)
    return { ...traceContext(incoming?.traceparent, incoming?.tracestate), end: span?.end ?? (() => {}) };
  return { traceparent: span.headers.traceparent, tracestate: span.headers.tracestate, end: span.end };
}

/**
 * W3C trace context for the hop to the service: the client's when it sent a valid one, otherwise
 * a new sampled trace, so the service spans of one request always share a trace id the gateway
 * chose (and the request id and trace can be found from each other in the logs).
 */
export function traceContext(traceparent: string | undefined, tracestate: string | undefined): TraceContext {
  const value = traceparent?.trim().toLowerCase();
  const parts = value ? TRACEPARENT.exec(value) : null;
  if (parts && isValid(parts)) return { traceparent: value!, tracestate };
  return {
    traceparent: `00-${randomHex(16)}-${randomHex(8)}-01`,
    tracestate: undefined,
  };
}

function isValid([, version, traceId, spanId, , rest]: RegExpExecArray): boolean {
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return false;
  // Version 00 has exactly four fields; a later version may append more.
  return version !== '00' || rest === undefined;
}
