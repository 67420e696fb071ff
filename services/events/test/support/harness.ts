import { randomUUID } from 'node:crypto';
import { Bus, type Subscription } from '@convene/bus';
import { type DomainEvent, type EventName, envelope } from '@convene/contracts';
import { parseEnv } from '@convene/kit';
import { mongoUrlFor, TestClock, testInfra, uniqueName } from '@convene/testing';
import { Env } from '../../src/env.ts';
import { createService, type EventsService } from '../../src/service.ts';
import { Api } from './api.ts';
import { startTestIssuer, type TestIssuer, type TestUser } from './jwks.ts';

/** The clock the service reads for every time decision (see @convene/testing's TestClock). */
export { TestClock };

export interface RunningEvents {
  service: EventsService;
  /** The service's own address. */
  url: string;
  /**
   * Where the HTTP tests send requests: the service itself, or the gateway in front of it when
   * by default (EVENTS_DIRECT=1 to skip it: an in-process gateway routing to this service, trusting the test
   * issuer), or EVENTS_E2E_BASE_URL when set (a gateway running elsewhere).
   */
  api: Api;
  /** 'direct' or 'gateway': which path `api` takes. */
  path: 'direct' | 'gateway';
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
  const gateway = process.env.EVENTS_DIRECT !== '1' ? await startGateway(url, issuer) : undefined;
  const base = gateway?.url ?? process.env.EVENTS_E2E_BASE_URL ?? url;
  return {
    service,
    url,
    api: new Api(base),
    path: base === url ? 'direct' : 'gateway',
    issuer,
    namespace,
    database,
    env,
    clock,
    token: (user) => issuer.mint(user),
    async stop() {
      await gateway?.stop();
      await service.stop();
      if (!shared?.issuer) await issuer.close();
    },
  };
}

/** The real gateway in this process, routing every service's paths to `eventsUrl`. */
async function startGateway(eventsUrl: string, issuer: TestIssuer) {
  const { createService: createGateway, Env: GatewayEnv } = await import('@convene/gateway');
  const unused = 'http://127.0.0.1:9';
  const env = parseEnv(GatewayEnv, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    AUTH_URL: unused,
    EVENTS_URL: eventsUrl,
    INVITATIONS_URL: unused,
    FEEDBACK_URL: unused,
    NOTIFIER_URL: unused,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: issuer.audience,
    // Concurrency tests send hundreds of requests (and connections) from one address.
    RATE_LIMIT_PER_IP: '0',
    RATE_LIMIT_PER_USER: '0',
    MAX_CONNECTIONS_PER_CLIENT: '0',
  });
  const gateway = await createGateway(env, { processMetrics: false });
  const { url } = await gateway.start();
  return { url, stop: () => gateway.stop() };
}

/** Listens on the test's namespace like another service would, and keeps what arrives. */
export class Listener {
  readonly messages: DomainEvent[] = [];
  #bus: Bus | undefined;
  #sub: Subscription | undefined;
  #waiters = new Set<() => void>();

  static async start(namespace: string, keys: EventName[]): Promise<Listener> {
    const listener = new Listener();
    const { amqpUrl } = testInfra();
    listener.#bus = await Bus.connect({ url: amqpUrl, service: uniqueName('probe'), namespace, retryDelaysMs: [200] });
    const handlers = Object.fromEntries(
      keys.map((key) => [
        key,
        async (event: DomainEvent) => {
          listener.messages.push(event);
          for (const wake of listener.#waiters) wake();
        },
      ]),
    );
    listener.#sub = await listener.#bus.subscribe('probe', handlers as never);
    return listener;
  }

  of<N extends EventName>(type: N): DomainEvent<N>[] {
    return this.messages.filter((m) => m.type === type) as DomainEvent<N>[];
  }

  /** Resolves once `predicate` holds over the messages received, or rejects after `timeoutMs`. */
  waitFor(predicate: (messages: DomainEvent[]) => boolean, timeoutMs = 15_000, what = 'messages'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.messages)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.messages.length} received)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    await this.#sub?.cancel();
    await this.#bus?.close();
  }
}

/**
 * Resolves once `listener` has received everything published to its queue before this call:
 * publishes a marker (a registration.rejected for no real event, which the listener must
 * subscribe to and no consumer of the events service reads) and waits for it, the queue being
 * first in, first out. For "nothing else arrived" checks: everything the service published before
 * is then in `listener.messages`, without waiting a fixed time.
 */
export async function caughtUp(listener: Listener, bus: Bus, timeoutMs = 20_000): Promise<void> {
  const marker = envelope({
    type: 'registration.rejected',
    source: 'test',
    subject: `marker-${randomUUID()}`,
    data: {
      event_id: `marker-${randomUUID()}`,
      invitation_id: null,
      attendee: { user_id: null, email: 'marker@example.com', name: 'Marker' },
      reason: 'event_not_found',
    },
  });
  await bus.publish([marker]);
  await listener.waitFor((ms) => ms.some((m) => m.id === marker.id), timeoutMs, 'the marker published after');
}

/** A publisher standing in for another service (invitations), on the test's namespace. */
export async function publisher(namespace: string): Promise<Bus> {
  return Bus.connect({ url: testInfra().amqpUrl, service: uniqueName('pub'), namespace });
}

export function futureIso(hoursAhead: number, from = Date.now()): string {
  return new Date(from + hoursAhead * 3_600_000).toISOString();
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
