import type { Duplex } from 'node:stream';
import {
  createLogger,
  createVerifier,
  dependencyStates,
  type Logger,
  mountHealth,
  notFound,
  problemResponse,
  type RunningServer,
  serve,
  tooManyRequests,
  toProblem,
  traceRequests,
  unauthorized,
  type Verifier,
} from '@convene/kit';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { rememberVerifiedTokens } from './auth/remember-verified-tokens.ts';
import { createFixedWindow } from './domain/fixed-window.ts';
import { createRouteMatcher } from './domain/match-route.ts';
import { UPSTREAMS, type UpstreamName } from './domain/route-table.ts';
import { type Env, upstreamConfigs } from './env.ts';
import { capConnectionsPerClient } from './http/connection-cap.ts';
import { docsRoutes } from './http/docs.ts';
import { authenticateAtEdge, limitBodies, limitByIp, limitByUser, resolveRoute } from './http/edge.ts';
import type { GatewayEnv } from './http/gateway-env.ts';
import { observeRequests } from './http/observe-requests.ts';
import { GATEWAY_OPERATIONS } from './http/own-operations.ts';
import { pageRoutes } from './http/pages.ts';
import { proxyToUpstream } from './http/proxy-route.ts';
import { refuseUndeclaredMethods } from './http/refuse-undeclared-methods.ts';
import { requestContext } from './http/request-context.ts';
import { tracedRequest } from './http/traced-request.ts';
import { createMetrics } from './metrics.ts';
import { createOpenApiCatalog } from './openapi/openapi-catalog.ts';
import { RESPONSE_ALREADY_SENT } from './proxy/already-sent.ts';
import { probeUpstream } from './proxy/probe-upstream.ts';
import { closeUpstreams, createUpstreams, type Upstream } from './proxy/upstreams.ts';
import { createUpgradeHandler } from './proxy/websocket.ts';

export const VERSION = '0.1.0';

export interface ServiceOptions {
  logger?: Logger;
  /** A verifier of your own (tests); by default one that fetches AUTH_JWKS_URL. */
  verifier?: Verifier;
  /** Node process metrics (event loop, memory) on /metrics; off in tests that start many gateways. */
  processMetrics?: boolean;
  /** The gateway's clock (rate-limit windows, remembered tokens); tests pin it. */
  now?: () => Date;
}

/**
 * The gateway: the only public entry. Routes every public path to the service that owns it
 * (see domain/route-table.ts), checks access tokens, limits rates and body sizes, and serves the
 * merged API docs, the public pages, health and metrics. It keeps no data.
 */
export async function createService(env: Env, options: ServiceOptions = {}) {
  const logger = options.logger ?? createLogger({ service: 'gateway', level: env.LOG_LEVEL });
  const clock = options.now;
  const now = clock ? () => clock().getTime() : Date.now;
  const upstreams = createUpstreams(upstreamConfigs(env), {
    connections: env.UPSTREAM_CONNECTIONS,
    keepAliveMs: env.UPSTREAM_KEEPALIVE_MS,
    connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
  });
  const verifier = rememberVerifiedTokens(
    options.verifier ??
      // It remembers verified tokens itself (VERIFIED_TOKEN_TTL_MS, on the gateway's clock).
      createVerifier({
        jwksUrl: env.AUTH_JWKS_URL,
        issuer: env.AUTH_ISSUER,
        audience: env.AUTH_AUDIENCE,
        verifiedTokens: false,
      }),
    { ttlMs: env.VERIFIED_TOKEN_TTL_MS, now },
  );
  const metrics = createMetrics({ processMetrics: options.processMetrics ?? true });
  const matchRoute = createRouteMatcher();
  const ipLimiter = createFixedWindow({ limit: env.RATE_LIMIT_PER_IP, windowMs: env.RATE_LIMIT_WINDOW_MS, now });
  const userLimiter = createFixedWindow({ limit: env.RATE_LIMIT_PER_USER, windowMs: env.RATE_LIMIT_WINDOW_MS, now });
  const catalog = createOpenApiCatalog({
    upstreams,
    refreshMs: env.OPENAPI_REFRESH_MS,
    timeoutMs: env.UPSTREAM_PROBE_TIMEOUT_MS,
    logger,
    version: VERSION,
    own: GATEWAY_OPERATIONS,
  });
  const trustedHops = env.TRUSTED_PROXY_HOPS;
  const anyOrigin = env.CORS_ORIGINS.includes('*');

  const app = new Hono<GatewayEnv>({ strict: false });
  const securityHeaders = await securityHeaderDefaults();
  app.use(traceRequests({ service: 'gateway', describe: tracedRequest }));
  app.use(requestContext({ logger, securityHeaders }));
  app.use(observeRequests({ logger, metrics }));
  if (env.CORS_ORIGINS.length) {
    app.use(
      cors({
        origin: anyOrigin ? '*' : env.CORS_ORIGINS,
        // Cookies and Authorization only for listed origins; browsers refuse credentials with `*`.
        credentials: !anyOrigin,
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        exposeHeaders: ['X-Request-Id', 'Retry-After', 'Location', 'Content-Disposition', 'WWW-Authenticate'],
        maxAge: 600,
      }),
    );
  }
  app.use(limitByIp({ limiter: ipLimiter, trustedHops, metrics }));
  app.use(limitBodies({ matchRoute, maxBytes: env.BODY_LIMIT_BYTES, largeBodyMaxBytes: env.IMPORT_BODY_LIMIT_BYTES }));
  app.use(refuseUndeclaredMethods({ catalog }));
  app.onError(function problemOnError(err, c) {
    if (toProblem(err).unexpected) logger.error({ err, request_id: c.get('requestId') }, 'request failed');
    return problemResponse(c, err);
  });
  app.notFound(function problemNotFound(c) {
    return problemResponse(c, notFound());
  });

  // Ready = this gateway can route: it is started. The services are not required: every replica
  // reaches the same ones, so dropping gateways while one service is down would turn partial
  // service into none. Their state is in /healthz (degraded) and in convene_dependency_up, asked
  // when a probe or a scrape asks (liveness probes ask often enough; no timer of its own, so the
  // services see no request the gateway was not asked for).
  const reported = (env.READY_UPSTREAMS.length ? env.READY_UPSTREAMS : UPSTREAMS) as UpstreamName[];
  const health = mountHealth(app, {
    degraded: Object.fromEntries(
      reported.map((name) => [name, () => upstreamReady(upstreams[name], env.UPSTREAM_PROBE_TIMEOUT_MS)]),
    ),
    timeoutMs: env.UPSTREAM_PROBE_TIMEOUT_MS,
    states: dependencyStates({ logger, onVerdict: metrics.dependency }),
  });
  app.get('/metrics', async (c) => {
    await health.checkAll();
    return c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType });
  });
  app.route('/api', docsRoutes({ catalog }));
  app.route('/', pageRoutes({ upstreams, trustedHops }));
  app.all(
    '*',
    resolveRoute({ matchRoute }),
    authenticateAtEdge({ verifier }),
    limitByUser({ limiter: userLimiter, metrics }),
    proxyToUpstream({
      upstreams,
      trustedHops,
      metrics,
      securityHeaders,
      copyContextHeaders: env.CORS_ORIGINS.length > 0,
      varyOnOrigin: env.CORS_ORIGINS.length > 0 && !anyOrigin,
    }),
  );

  const tunnels = new Set<Duplex>();
  const proxyUpgrade = createUpgradeHandler({
    matchRoute,
    upstreams,
    trustedHops,
    logger,
    record: (status, upstream) =>
      metrics.observeRequest(upstream === 'none' ? 'unmatched' : upstream, 'GET', status, 0),
    async admit({ clientIp, token, protectedRoute }) {
      const byIp = ipLimiter(clientIp);
      if (!byIp.allowed) throw tooManyRequests(byIp.retryAfterSec);
      if (!protectedRoute) return;
      if (!token) throw unauthorized();
      const user = await verifier.verify(token);
      const byUser = userLimiter(user.id);
      if (!byUser.allowed) throw tooManyRequests(byUser.retryAfterSec);
    },
  });

  let running: RunningServer | undefined;
  return {
    app,
    upstreams,
    metrics,
    logger,
    /** Listens on HOST:PORT (0 picks a free port) and proxies WebSocket upgrades. */
    async start(): Promise<{ port: number; url: string }> {
      running = await serve(
        { fetch: keepAlreadySentOnHead(app.fetch) },
        {
          host: env.HOST,
          port: env.PORT,
          headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
          requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
          keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        },
      );
      // Behind trusted proxies every connection comes from them: the cap belongs there.
      capConnectionsPerClient(running.server, {
        max: trustedHops === 0 ? env.MAX_CONNECTIONS_PER_CLIENT : 0,
        onRefused: () => metrics.rateLimited('connections'),
      });
      running.server.on('upgrade', (incoming, socket, head) => {
        tunnels.add(socket);
        socket.once('close', () => tunnels.delete(socket));
        void proxyUpgrade(incoming, socket, head);
      });
      logger.info({ url: running.url }, 'gateway listening');
      return { port: running.port, url: running.url };
    },
    async stop(): Promise<void> {
      await running?.close();
      for (const socket of tunnels) socket.destroy();
      await closeUpstreams(upstreams);
    },
  };
}

export type GatewayService = Awaited<ReturnType<typeof createService>>;

/**
 * Hono answers HEAD by running the GET route and copying its answer into a new Response, which
 * loses node-server's "already sent" marker: a proxied HEAD answer (written by the proxy itself)
 * was then written a second time (ERR_HTTP_HEADERS_SENT on console.error, socket destroyed).
 */
function keepAlreadySentOnHead(fetch: Hono<GatewayEnv>['fetch']): Hono<GatewayEnv>['fetch'] {
  return async (request, ...rest) => {
    const response = await fetch(request, ...rest);
    const sent = request.method === 'HEAD' && response.headers.has('x-hono-already-sent');
    return sent ? RESPONSE_ALREADY_SENT : response;
  };
}

/** A service is up when its own /readyz says so (its database). */
async function upstreamReady(upstream: Upstream, timeoutMs: number): Promise<true> {
  const { status, text } = await probeUpstream(upstream, '/readyz', { timeoutMs });
  if (status !== 200) throw new Error(`${upstream.name} /readyz answered ${status}${notReady(text)}`);
  return true;
}

/** What a service's NOT_READY problem says failed (` (bus: failed)`), for the gateway's own answer. */
function notReady(text: string): string {
  try {
    const { checks } = JSON.parse(text) as { checks?: Record<string, string> };
    const failed = Object.entries(checks ?? {}).filter(([, verdict]) => verdict !== 'ok');
    return failed.length ? ` (${failed.map(([name, verdict]) => `${name}: ${verdict}`).join(', ')})` : '';
  } catch {
    return '';
  }
}

/** The headers hono's secureHeaders() sets, to put on proxied answers it never sees. */
async function securityHeaderDefaults(): Promise<Record<string, string>> {
  const probe = new Hono().use(secureHeaders()).get('/', (c) => c.body(null, 204));
  const response = await probe.request('/');
  return Object.fromEntries(response.headers);
}
