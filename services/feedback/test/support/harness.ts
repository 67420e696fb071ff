import { createServer, type Server } from 'node:http';
import { Bus } from '@convene/bus';
import { type DomainEvent, type EventSnapshot, envelope } from '@convene/contracts';
import { parseEnv } from '@convene/kit';
import {
  eventually,
  JsonClient,
  mongoUrlFor,
  startTestIssuer,
  TestClock,
  type TestIssuer,
  type TestUser,
  testInfra,
  testUser,
  uniqueName,
} from '@convene/testing';
import { Env } from '../../src/env.ts';
import { createService, type FeedbackService } from '../../src/service.ts';

const HOUR = 3_600_000;

/**
 * The real feedback service (own database and bus namespace) with a test token issuer, a clock
 * the test moves, a publisher standing in for events, and an events stand-in for read-throughs
 * that knows nothing (404), so every decision here rests on the projection built from messages.
 */
export interface RunningFeedback {
  service: FeedbackService;
  api: JsonClient;
  issuer: TestIssuer;
  clock: TestClock;
  events: Bus;
  namespace: string;
  token(user: TestUser): string;
  stop(): Promise<void>;
}

export async function startFeedback(overrides: Record<string, string> = {}): Promise<RunningFeedback> {
  // Real time: services verify tokens on the wall clock, whatever the test does to its own.
  const issuer = await startTestIssuer();
  const clock = new TestClock();
  const nobody: Server = createServer((_req, res) =>
    res.writeHead(404, { 'content-type': 'application/json' }).end('{}'),
  );
  await new Promise<void>((resolve) => nobody.listen(0, '127.0.0.1', resolve));
  const { amqpUrl } = testInfra();
  const namespace = `${uniqueName('fb')}.`;
  const env = parseEnv(Env, {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGO_URL: mongoUrlFor(uniqueName('feedback')),
    AMQP_URL: amqpUrl,
    BUS_NAMESPACE: namespace,
    AUTH_JWKS_URL: issuer.jwksUrl,
    EVENTS_URL: `http://127.0.0.1:${(nobody.address() as { port: number }).port}`,
    OUTBOX_POLL_MS: '200',
    JOBS_ENABLED: 'false',
    ...overrides,
  });
  const service = await createService(env, { now: clock.now });
  const { url } = await service.start();
  const events = await Bus.connect({ url: amqpUrl, service: uniqueName('events-standin'), namespace });
  return {
    service,
    api: new JsonClient(url),
    issuer,
    clock,
    events,
    namespace,
    token: (user) => issuer.tokenFor(user),
    async stop() {
      await events.close();
      await service.stop();
      await issuer.close();
      await new Promise<void>((resolve) => nobody.close(() => resolve()));
    },
  };
}

/** An event snapshot as events would send it: starts an hour after `from`, lasts two hours. */
export function snapshotOf(host: TestUser, from: Date, overrides: Partial<EventSnapshot> = {}): EventSnapshot {
  const start = new Date(from.getTime() + HOUR);
  return {
    event_id: uniqueName('evt'),
    title: 'Service-level feedback event',
    description: '',
    host: { user_id: host.id, email: host.email, name: host.name },
    cohost_ids: [],
    start_time: start.toISOString(),
    end_time: new Date(start.getTime() + 2 * HOUR).toISOString(),
    location: 'Room 9',
    max_participants: 500,
    visibility: 'public',
    is_active: true,
    requires_check_in: false,
    waitlist_mode: 'auto',
    timezone: 'UTC',
    ...overrides,
  };
}

/** Publishes what events would: the event, then a confirmed registration per attendee. */
export async function seedAttendance(run: RunningFeedback, event: EventSnapshot, attendees: TestUser[]) {
  const messages: DomainEvent[] = [
    envelope({ type: 'event.created', source: 'events', subject: event.event_id, data: event }),
    ...attendees.map((a, i) =>
      envelope({
        type: 'registration.confirmed',
        source: 'events',
        subject: `${event.event_id}-reg-${i}`,
        data: {
          registration_id: `${event.event_id}-reg-${i}`,
          event,
          attendee: { user_id: a.id, email: a.email, name: a.name },
          invitation_id: null,
          promoted: false,
          bypassed_capacity: false,
          registered_at: new Date().toISOString(),
        },
      }),
    ),
  ];
  await run.events.publish(messages);
  const store = run.service.store;
  await eventually(
    async () => (await store.attendances.countDocuments({ event_id: event.event_id })) === attendees.length,
    { timeoutMs: 30_000, what: `the projection to learn ${attendees.length} registrations` },
  );
}

export const people = (n: number, name = 'guest') => Array.from({ length: n }, () => testUser(name));
export { HOUR, type TestUser, testUser };
