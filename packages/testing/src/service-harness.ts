import { mongoUrlFor, testInfra, uniqueName } from './infra.ts';

/** What every service's `createService` returns (see docs/platform-api.md, "Service shape"). */
export interface TestableService {
  start(): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
}

export interface RunningTestService<S extends TestableService> {
  service: S;
  url: string;
  /** The environment the service was built from: its own database and bus namespace. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The environment a service under test runs with: a database and a bus namespace no other test
 * file uses, a random 127.0.0.1 port, quiet logs. `overrides` win (e.g. AUTH_JWKS_URL, or a shared
 * BUS_NAMESPACE when several services must hear each other).
 */
export function testServiceEnv(name: string, overrides: Record<string, string> = {}): Record<string, string> {
  const { amqpUrl } = testInfra();
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongoUrlFor(uniqueName(name)),
    AMQP_URL: amqpUrl,
    BUS_NAMESPACE: `${uniqueName(name)}.`,
    AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    ...overrides,
  };
}

/** Builds a service in-process from `create(env)`, starts it on a random port and returns its URL. */
export async function startServiceForTest<S extends TestableService>(
  name: string,
  create: (env: Record<string, string>) => Promise<S>,
  overrides: Record<string, string> = {},
): Promise<RunningTestService<S>> {
  const env = testServiceEnv(name, overrides);
  const service = await create(env);
  const { url } = await service.start();
  return { service, url, env, stop: () => service.stop() };
}
