import { AppError, authenticate, ErrorCode, notFound, tooManyRequests, type Verifier } from '@convene/kit';
import type { MiddlewareHandler } from 'hono';
import type { FixedWindow } from '../domain/fixed-window.ts';
import type { RouteMatcher } from '../domain/match-route.ts';
import type { Metrics } from '../metrics.ts';
import { clientAddress } from '../proxy/forwarded-headers.ts';
import type { GatewayEnv } from './gateway-env.ts';
import { OPS_PATHS } from './observe-requests.ts';

type Middleware = MiddlewareHandler<GatewayEnv>;

/** Per client address, before anything costly (token checks) is done for the request. */
export function limitByIp({
  limiter,
  trustedHops,
  metrics,
}: {
  limiter: FixedWindow;
  trustedHops: number;
  metrics: Metrics;
}): Middleware {
  return async function limitRequestsByIp(c, next) {
    const ip = clientAddress(c.env.incoming, trustedHops);
    c.set('clientIp', ip);
    if (!OPS_PATHS.has(c.req.path)) {
      const verdict = limiter(ip);
      if (!verdict.allowed) {
        metrics.rateLimited('ip');
        throw tooManyRequests(verdict.retryAfterSec);
      }
    }
    await next();
  };
}

/**
 * Refuses a declared body over the limit before a byte is forwarded. Bodies sent without a length
 * (chunked) are counted while they stream (see forward.ts). Hono's bodyLimit is not used here: it
 * reads the body through the web Request, which would consume the stream the proxy pipes upstream.
 */
export function refuseLargeBodies({ maxBytes }: { maxBytes: number }): Middleware {
  return async function refuseLargeBody(c, next) {
    const declared = c.env.incoming.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes);
    await next();
  };
}

export function payloadTooLarge(maxBytes: number): AppError {
  return new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${maxBytes} bytes.`);
}

/** Finds the service for the request; paths no rule names (and every /internal path) are 404. */
export function resolveRoute({ matchRoute }: { matchRoute: RouteMatcher }): Middleware {
  return async function resolveUpstream(c, next) {
    const url = c.env.incoming.url ?? '/';
    const queryAt = url.indexOf('?');
    const match = matchRoute(c.req.method, queryAt === -1 ? url : url.slice(0, queryAt));
    if (match.kind !== 'route') throw notFound();
    c.set('route', { rule: match.rule, path: queryAt === -1 ? match.path : match.path + url.slice(queryAt) });
    await next();
  };
}

/**
 * The access token check at the edge (the services check again): required on protected routes,
 * checked when present on optional ones, not looked at on public ones. An anonymous request on an
 * optional route (the public event list) skips the kit's authenticate, which reads headers through
 * the web Request and would build a Headers object the proxy never needs.
 */
export function authenticateAtEdge({ verifier }: { verifier: Verifier }): Middleware {
  const required = authenticate({ verifier });
  const optional = authenticate({ verifier, optional: true });
  return async function authenticateEdge(c, next) {
    const access = c.get('route')?.rule.access ?? 'protected';
    if (access === 'public') return next();
    if (access === 'optional') {
      const { authorization, cookie } = c.env.incoming.headers;
      if (authorization === undefined && cookie === undefined) return next();
      return optional(c, next);
    }
    return required(c, next);
  };
}

/** Per signed-in user, whatever address they come from. */
export function limitByUser({ limiter, metrics }: { limiter: FixedWindow; metrics: Metrics }): Middleware {
  return async function limitRequestsByUser(c, next) {
    const user = c.get('user');
    if (user) {
      const verdict = limiter(user.id);
      if (!verdict.allowed) {
        metrics.rateLimited('user');
        throw tooManyRequests(verdict.retryAfterSec);
      }
    }
    await next();
  };
}
