import { Bus } from '@convene/bus';
import { parseEnv } from '@convene/kit';
import {
  mongoUrlFor,
  eventually as poll,
  startTestIssuer,
  TestClock,
  type TestIssuer,
  type TestUser,
  testInfra,
  uniqueName,
} from '@convene/testing';
import { Env } from '../../src/env.ts';
import { createService, type EventsService } from '../../src/service.ts';
import { Api } from './api.ts';

/** The clock the service reads for every time decision (see @convene/testing's TestClock). */
export { TestClock };

export interface RunningEvents {
  service: EventsService;
  /** The service's own address. */
  url: string;
  /**
   * A client of the service itself. The same requests through the real gateway are the whole-system
   * tests' (packages/system/test/events-through-gateway.test.ts), so events needs no gateway here.
   */
  api: Api;
  /** @convene/testing's token issuer, whose keys the service trusts. */
  issuer: TestIssuer;
  namespace: string;
  database: string;
  env: Env;
  clock: TestClock;
  token(user: TestUser): Promise<string>;
  stop(): Promise<void>;
}

/** The environment a test instance runs with (own database and bus namespace). */
export function testEnv(
  issuer: TestIssuer,
  overrides: Record<string, string> = {},
  shared?: { database?: string; namespace?: string },
) {
  const { amqpUrl } = testInfra();
  const database = shared?.database ?? uniqueName('events');
  const namespace = shared?.namespace ?? `${uniqueName('ev')}.`;
  const raw: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGO_URL: mongoUrlFor(database),
    AMQP_URL: amqpUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    BUS_NAMESPACE: namespace,
    ...overrides,
  };
  return { env: parseEnv(Env, raw), raw, database, namespace };
}

/** The real events service on a random 127.0.0.1 port, with a test token issuer. */
export async function startEvents(
  overrides: Record<string, string> = {},
  shared?: { database?: string; namespace?: string; issuer?: TestIssuer; clock?: TestClock },
): Promise<RunningEvents> {
  const issuer = shared?.issuer ?? (await startTestIssuer());
  const { env, database, namespace } = testEnv(issuer, overrides, shared);
  const clock = shared?.clock ?? new TestClock();
  const service = await createService(env, { now: clock.now });
  const { url } = await service.start();
  return {
    service,
    url,
    api: new Api(url),
    issuer,
    namespace,
    database,
    env,
    clock,
    // An hour, as before: a file's beforeAll tokens outlive a slow run.
    token: async (user) => issuer.tokenFor(user, { expiresInMs: 3_600_000 }),
    async stop() {
      await service.stop();
      if (!shared?.issuer) await issuer.close();
    },
  };
}

/** A publisher standing in for another service (invitations), on the test's namespace. */
export async function publisher(namespace: string): Promise<Bus> {
  return Bus.connect({ url: testInfra().amqpUrl, service: uniqueName('pub'), namespace });
}

export function futureIso(hoursAhead: number, from = Date.now()): string {
  return new Date(from + hoursAhead * 3_600_000).toISOString();
}

/**
 * @convene/testing's `eventually` with this file's older positional arguments (timeout, what), so
 * the suites calling it keep working until they call `eventually` from @convene/testing themselves.
 */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  return poll(check, { timeoutMs, intervalMs: 100, what }) as Promise<T>;
}
