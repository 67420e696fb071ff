import { z } from 'zod';

const mongoUrl = z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// or mongodb+srv:// URL');
const amqpUrl = z.string().regex(/^amqps?:\/\/\S+$/, 'Expected an amqp:// or amqps:// URL');

/**
 * What every service reads. Extend it in the service's `src/env.ts`
 * (`BaseEnv.extend({...})`, `.omit({MONGO_URL: true})` for the gateway).
 */
export const BaseEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGO_URL: mongoUrl,
  AMQP_URL: amqpUrl,
  /** Prefix for the exchange and queue names; empty in production, unique per test file. */
  BUS_NAMESPACE: z.string().default(''),
  AUTH_ISSUER: z.string().default('convene-auth'),
  AUTH_AUDIENCE: z.string().default('convene'),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
});
export type BaseEnv = z.infer<typeof BaseEnv>;
