import { z } from 'zod';
import { duration } from './env-values.ts';

const mongoUrl = z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// or mongodb+srv:// URL');
const amqpUrl = z.string().regex(/^amqps?:\/\/\S+$/, 'Expected an amqp:// or amqps:// URL');
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * What every service reads. Extend it in the service's `src/env.ts`
 * (`BaseEnv.extend({...})`, `.omit({MONGO_URL: true})` for the gateway).
 */
export const BaseEnv = z.object({
  /** `production` turns on the production refusals (a development-only key, a missing secret). */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Address the HTTP server listens on (0.0.0.0 in a container). */
  HOST: z.string().default('127.0.0.1'),
  /** The HTTP port (0 picks a free one); each service has its own default. */
  PORT: z.coerce.number().int().min(0).max(65_535),
  /** The lowest level written to the JSON log on stdout. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The service's own database (mongodb:// or mongodb+srv://, with the database name); no service reads another's. */
  MONGO_URL: mongoUrl,
  /** The RabbitMQ broker (amqp:// or amqps://); a `heartbeat` query parameter overrides the 10 s default. */
  AMQP_URL: amqpUrl,
  /** Prefix for the exchange and queue names; empty in production, unique per test file. */
  BUS_NAMESPACE: z.string().default(''),
  /** The `iss` auth writes into access tokens and every verifier requires. */
  AUTH_ISSUER: z.string().default('convene-auth'),
  /** The `aud` auth writes into access tokens and every verifier requires. */
  AUTH_AUDIENCE: z.string().default('convene'),
  /** Where auth publishes its public signing keys (`<auth>/.well-known/jwks.json`); tokens are verified against them. */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }),
  /** OTLP/HTTP collector for traces (e.g. Jaeger at http://jaeger:4318); unset, no spans are exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** The public address of the gateway: links in emails and pages point there. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  /** The whole header block of a request must arrive within this (408 and closed otherwise). */
  HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
  /** The whole request, body included, must arrive within this. At least HTTP_HEADERS_TIMEOUT_MS. */
  HTTP_REQUEST_TIMEOUT_MS: ms(30_000),
  /**
   * An idle keep-alive connection is closed after this. A client pooling connections to the
   * service (the gateway: UPSTREAM_KEEPALIVE_MS) must give them up sooner.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
  /** The bus's idempotency markers (processed_messages) older than this are pruned once a day. */
  PROCESSED_RETENTION_MS: duration('7d', { min: 60_000 }),
});
export type BaseEnv = z.infer<typeof BaseEnv>;
