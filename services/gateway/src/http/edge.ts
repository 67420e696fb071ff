import type { IncomingMessage } from 'node:http';
import {
  AppError,
  authenticate,
  discardBody,
  ErrorCode,
  LINGER,
  notFound,
  tooManyRequests,
  type Verifier,
} from '@convene/kit';
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
 * One body limit for everything behind the gateway, enforced here so that no service ever gets a
 * body it would refuse: `maxBytes` (never above what the services accept), or `largeBodyMaxBytes`
 * on the routes that take files. A declared Content-Length over it is refused before a byte is
 * forwarded; a chunked body is counted while it streams (forward.ts) and cut at the limit. Hono's
 * bodyLimit is not used here: it reads the body through the web Request, which would consume the
 * stream the proxy pipes upstream.
 */
export function limitBodies({
  matchRoute,
  maxBytes,
  largeBodyMaxBytes,
}: {
  matchRoute: RouteMatcher;
  maxBytes: number;
  largeBodyMaxBytes: number;
}): Middleware {
  const largeLimit = Math.max(maxBytes, largeBodyMaxBytes);
  return async function limitRequestBody(c, next) {
    const { incoming } = c.env;
    const { headers } = incoming;
    const declared = headers['content-length'];
    const chunked = headers['transfer-encoding'] !== undefined;
    let limit = maxBytes;
    if (chunked || (declared !== undefined && declared !== '0')) {
      const url = incoming.url ?? '/';
      const queryAt = url.indexOf('?');
      const match = matchRoute(c.req.method, queryAt === -1 ? url : url.slice(0, queryAt));
      if (match.kind === 'route' && match.rule.largeBody) limit = largeLimit;
      if (!chunked && Number(declared) > limit) throw await refuseBody(incoming, limit, Number(declared));
    }
    c.set('bodyLimitBytes', limit);
    await next();
  };
}

/**
 * The 413 for a body over `limit`, closing the connection (the body is not read as a request).
 * What the client is still sending is read and dropped first, within kit's LINGER bounds, so the
 * close does not reset the connection before the client has read its answer; a declared body far
 * past that is not waited for.
 */
export async function refuseBody(incoming: IncomingMessage, limit: number, declared?: number): Promise<AppError> {
  if (declared === undefined || declared - limit <= LINGER.maxBytes) await discardBody(incoming);
  return new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${limit} bytes.`, {
    headers: { Connection: 'close' },
  });
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
