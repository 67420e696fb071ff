import { BaseEnv, DEFAULT_BODY_LIMIT_BYTES } from '@convene/kit';
import { z } from 'zod';
import { UPSTREAMS, type UpstreamName } from './domain/route-table.ts';

const httpUrl = z.url({ protocol: /^https?$/ });
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
const optionalMs = z.coerce.number().int().positive().optional();
const upper = (name: UpstreamName) => name.toUpperCase() as Uppercase<UpstreamName>;

/** `AUTH_URL`, `EVENTS_URL`, ...: the base URL each service listens on. */
const upstreamUrls = Object.fromEntries(UPSTREAMS.map((name) => [`${upper(name)}_URL`, httpUrl])) as {
  [N in UpstreamName as `${Uppercase<N>}_URL`]: typeof httpUrl;
};
/** `EVENTS_HEADERS_TIMEOUT_MS`, `EVENTS_BODY_TIMEOUT_MS`, ...: per-service overrides of the defaults. */
const upstreamTimeouts = Object.fromEntries(
  UPSTREAMS.flatMap((name) => [
    [`${upper(name)}_HEADERS_TIMEOUT_MS`, optionalMs],
    [`${upper(name)}_BODY_TIMEOUT_MS`, optionalMs],
  ]),
) as {
  [N in UpstreamName as `${Uppercase<N>}_${'HEADERS' | 'BODY'}_TIMEOUT_MS`]: typeof optionalMs;
};

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/**
 * The gateway keeps no data: no MongoDB, no broker. It needs where every service is, where the
 * auth keys are published, and the edge policy (timeouts, limits, CORS).
 */
export const Env = BaseEnv.omit({ MONGO_URL: true, AMQP_URL: true })
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    ...upstreamUrls,
    ...upstreamTimeouts,
    /** Longest wait for an upstream's response headers (→ 504). */
    UPSTREAM_HEADERS_TIMEOUT_MS: ms(15_000),
    /** Longest silence between two chunks of an upstream's response body. */
    UPSTREAM_BODY_TIMEOUT_MS: ms(30_000),
    /** Longest wait for a connection to a service (→ 502/504). */
    UPSTREAM_CONNECT_TIMEOUT_MS: ms(5_000),
    /** Sockets per service pool. */
    UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().default(128),
    /**
     * How long an idle pooled socket is kept. Must stay below the services' own keep-alive timeout
     * (their HTTP_KEEP_ALIVE_TIMEOUT_MS, 5 s by default) or the pool reuses a socket the service is
     * closing.
     */
    UPSTREAM_KEEPALIVE_MS: ms(4_000),
    /** Where browsers may call the API from: comma-separated origins, `*`, or empty for same-origin only. */
    CORS_ORIGINS: list,
    /**
     * Largest request body the gateway forwards (413 above it, before a byte reaches a service).
     * Never above what the services accept (kit's createApp: 1 MiB), or a body between the two
     * reaches a service only to be refused there.
     */
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(DEFAULT_BODY_LIMIT_BYTES),
    /**
     * The same for the routes that take files (CSV import of invitations); never below
     * BODY_LIMIT_BYTES. The service behind them must accept as much (createApp's largeBodyRoutes).
     */
    IMPORT_BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024),
    /**
     * Connections one client address may hold open at once (0: no cap). Counted on the peer
     * address, so it applies only when the gateway is the edge (TRUSTED_PROXY_HOPS=0); behind a
     * proxy, cap there.
     */
    MAX_CONNECTIONS_PER_CLIENT: count(256),
    /** The fixed window the two rate limits below count requests in (429 beyond them). */
    RATE_LIMIT_WINDOW_MS: ms(60_000),
    /** Requests per client IP per window; 0 turns the limit off. */
    RATE_LIMIT_PER_IP: count(1_200),
    /** Requests per signed-in user per window; 0 turns the limit off. */
    RATE_LIMIT_PER_USER: count(600),
    /**
     * Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: the peer
     * address is the client). With 1, the last X-Forwarded-For entry is the client.
     */
    TRUSTED_PROXY_HOPS: count(0),
    /** How often each service's OpenAPI document is fetched again. */
    OPENAPI_REFRESH_MS: ms(60_000),
    /** Per upstream, for its /readyz probe (/healthz, /metrics) and for fetching OpenAPI documents. */
    UPSTREAM_PROBE_TIMEOUT_MS: ms(2_000),
    /**
     * How long a verified access token is trusted without checking its signature again (never past
     * its exp). The signature check is the costliest step of an authenticated request.
     */
    VERIFIED_TOKEN_TTL_MS: z.coerce.number().int().min(1).default(30_000),
    /**
     * Services whose readiness /healthz reports (comma-separated); all of them when empty. None is
     * required for the gateway's own /readyz.
     */
    READY_UPSTREAMS: list,
  })
  .superRefine((env, ctx) => {
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: 'Must not exceed HTTP_REQUEST_TIMEOUT_MS.',
      });
    }
    for (const name of env.READY_UPSTREAMS) {
      if (!(UPSTREAMS as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['READY_UPSTREAMS'],
          message: `Unknown service "${name}"; expected some of ${UPSTREAMS.join(', ')}.`,
        });
      }
    }
    if (env.CORS_ORIGINS.includes('*') && env.CORS_ORIGINS.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: 'Use either "*" or a list of origins.' });
    }
    for (const origin of env.CORS_ORIGINS) {
      if (origin !== '*' && !/^https?:\/\/[^/]+$/.test(origin)) {
        ctx.addIssue({
          code: 'custom',
          path: ['CORS_ORIGINS'],
          message: `"${origin}" is not an origin (scheme://host[:port], no path).`,
        });
      }
    }
  });
export type Env = z.infer<typeof Env>;

export interface UpstreamConfig {
  name: UpstreamName;
  url: string;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** Each service's address and timeouts, the per-service overrides applied. */
export function upstreamConfigs(env: Env): UpstreamConfig[] {
  return UPSTREAMS.map((name) => ({
    name,
    url: env[`${upper(name)}_URL`],
    headersTimeoutMs: env[`${upper(name)}_HEADERS_TIMEOUT_MS`] ?? env.UPSTREAM_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: env[`${upper(name)}_BODY_TIMEOUT_MS`] ?? env.UPSTREAM_BODY_TIMEOUT_MS,
  }));
}
