import { AppError, badRequest } from '@convene/kit';
import type { Context, Handler } from 'hono';
import type { Metrics } from '../metrics.ts';
import { RESPONSE_ALREADY_SENT } from '../proxy/already-sent.ts';
import { forward } from '../proxy/forward.ts';
import { upstreamRequestHeaders } from '../proxy/forwarded-headers.ts';
import { forwardedTrace } from '../proxy/trace-context.ts';
import { upstreamProblem } from '../proxy/upstream-failure.ts';
import type { Upstreams } from '../proxy/upstreams.ts';
import { refuseBody } from './edge.ts';
import type { GatewayEnv } from './gateway-env.ts';

export interface ProxyOptions {
  upstreams: Upstreams;
  trustedHops: number;
  metrics: Metrics;
  /** Security headers every answer carries unless the service chose its own. */
  securityHeaders: Record<string, string>;
  /** Copy what earlier middleware set on the context (CORS) onto the proxied answer. */
  copyContextHeaders: boolean;
  /** Answers differ by Origin (CORS with a list of origins). */
  varyOnOrigin: boolean;
}

/** The status logged when the client left before its answer (nginx's convention). */
const CLIENT_CLOSED = 499;

/** The handler behind every routed path: forwards to the service the route names. */
export function proxyToUpstream({
  upstreams,
  trustedHops,
  metrics,
  securityHeaders,
  copyContextHeaders,
  varyOnOrigin,
}: ProxyOptions): Handler<GatewayEnv> {
  return async function proxyRequest(c) {
    const route = c.get('route')!;
    const upstream = upstreams[route.rule.upstream];
    const { incoming, outgoing } = c.env;
    const requestId = c.get('requestId');
    const incomingHeaders = incoming.headers;
    const { end: endSpan, ...trace } = forwardedTrace({
      upstream,
      method: c.req.method,
      template: route.rule.rewrite ?? route.rule.path,
      incoming: { traceparent: single(incomingHeaders.traceparent), tracestate: single(incomingHeaders.tracestate) },
    });
    const bodyLimitBytes = c.get('bodyLimitBytes');

    const responseHeaders: Record<string, string> = copyContextHeaders ? Object.fromEntries(c.res.headers) : {};
    responseHeaders['x-request-id'] = requestId;

    const result = await forward(incoming, outgoing, {
      upstream,
      method: c.req.method,
      path: route.path,
      headers: upstreamRequestHeaders(incoming, { requestId, trustedHops, ...trace }),
      bodyLimitBytes,
      responseHeaders,
      defaultResponseHeaders: securityHeaders,
      ...(varyOnOrigin ? { vary: 'Origin' } : {}),
    });
    endSpan(result.ok ? { status: result.status } : { error: result.error ?? result.kind });
    if (result.ok) return sent(c, result.status);

    metrics.upstreamError(upstream.name, result.kind);
    if (result.kind === 'client-gone') return sent(c, CLIENT_CLOSED);
    if (result.kind === 'unavailable' || result.kind === 'timeout') {
      c.get('logger').warn(
        { err: result.error, request_id: requestId, upstream: upstream.name, kind: result.kind },
        'upstream failed',
      );
    }
    if (result.answered) return sent(c, outgoing.statusCode);
    switch (result.kind) {
      case 'too-large':
        throw await refuseBody(incoming, bodyLimitBytes);
      case 'bad-request':
        throw badRequest('The request body ended before its declared length.');
      default: {
        const { status, code, detail } = upstreamProblem(result.kind === 'timeout' ? 504 : 502, upstream.name);
        throw new AppError(status, code, detail, { headers: { 'Retry-After': '5' } });
      }
    }
  };
}

/**
 * The answer went out through the Node response: tell @hono/node-server to leave it alone, and
 * keep the status for the access log and metrics (RESPONSE_ALREADY_SENT always says 200).
 */
function sent(c: Context<GatewayEnv>, status: number): Response {
  c.set('sentStatus', status);
  return RESPONSE_ALREADY_SENT;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
