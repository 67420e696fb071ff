import { connectMongo } from '@convene/kit';
import { mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDoc } from '../src/store/event-model.ts';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { Api } from './support/api.ts';
import { type ChildService, freePort, startChildService } from './support/child-service.ts';
import { assertCountersMatch } from './support/counters.ts';
import { eventually, futureIso, Listener } from './support/harness.ts';
import { startTestIssuer, type TestIssuer, testUser } from './support/jwks.ts';

/**
 * The service runs as a real process. A burst of registrations is cut by SIGKILL, the process is
 * started again, and after recovery the seat counters must equal the confirmed registrations and
 * every confirmed registration must have been announced (counted by a real consumer).
 */
describe('crash recovery', () => {
  const database = uniqueName('events');
  const namespace = `${uniqueName('ev')}.`;
  let issuer: TestIssuer;
  let listener: Listener;
  let mongo: Connection;
  let store: Store;
  let child: ChildService | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // Subscribed before the service publishes anything, like the notifier would be.
    listener = await Listener.start(namespace, ['registration.confirmed', 'registration.waitlisted']);
    mongo = await connectMongo(mongoUrlFor(database));
    store = createStore(mongo);
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MONGO_URL: mongoUrlFor(database),
      AMQP_URL: testInfra().amqpUrl,
      AUTH_JWKS_URL: issuer.jwksUrl,
      BUS_NAMESPACE: namespace,
      PORT: String(await freePort()),
      // Recovery judges a move stale quickly so the test does not wait long.
      TXN_TIMEOUT: '2s',
      RECOVERY_INTERVAL: '500ms',
      WAITLIST_INTERVAL: '1h',
    };
  });
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await listener?.close();
    await mongo?.close();
    await issuer?.close();
  });

  it('SIGKILL in the middle of a registration burst loses no seat, makes no phantom seat and loses no message', async () => {
    child = await startChildService(env);
    const api = new Api(child.url);
    const host = testUser('host');
    const capacity = 120;
    const created = await api.post(
      '/api/events',
      { title: 'Crash party', start_time: futureIso(24), location: 'Server room', max_participants: capacity },
      { token: await issuer.mint(host) },
    );
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;

    const users = Array.from({ length: 400 }, (_, i) => testUser(`crash${i}`));
    const tokens = await Promise.all(users.map((u) => issuer.mint(u)));
    let answered = 0;
    let killedAfter = -1;
    const victim = child;
    const burst = tokens.map((token, i) =>
      api
        .post(`/api/events/${eventId}/register`, i % 2 ? { waitlist: true } : undefined, { token })
        .then((r) => {
          answered++;
          // Kill while most of the burst is still in flight.
          if (answered === 40) {
            killedAfter = answered;
            victim.process.kill('SIGKILL');
          }
          return r;
        })
        .catch(() => null),
    );
    const replies = await Promise.all(burst);
    await victim.kill('SIGKILL');
    expect(killedAfter).toBe(40);

    const inFlight = {
      eventTxns: (await store.events.findById(eventId).lean<EventDoc>())!.txns.length,
      registrations: await store.registrations.countDocuments({ event_id: eventId, txn: { $ne: null } }),
    };
    // The kill did land in the middle of moves (otherwise this test would prove nothing).
    expect(inFlight.eventTxns + inFlight.registrations).toBeGreaterThan(0);
    console.info(
      `killed after ${killedAfter} answers; ${replies.filter(Boolean).length} answered in all; moves left in flight: ` +
        JSON.stringify(inFlight),
    );

    // Restart: recovery finishes or undoes every half-done move, the relay publishes what is pending.
    child = await startChildService(env);
    await eventually(
      async () => {
        const event = await store.events.findById(eventId).lean<EventDoc>();
        const stuck = await store.registrations.countDocuments({ event_id: eventId, txn: { $ne: null } });
        const unpublished = await store.registrations.countDocuments({ event_id: eventId, outbox_at: { $ne: null } });
        return event!.txns.length === 0 && stuck === 0 && unpublished === 0 && event!.outbox_at === null;
      },
      30_000,
      'recovery and outbox drain',
    );

    const { event, regs } = await assertCountersMatch(store, eventId);
    const confirmed = regs.filter((r) => r.status === 'confirmed');
    expect(confirmed.length).toBeLessThanOrEqual(capacity);
    expect(event.confirmed_count).toBe(confirmed.length);
    // Everyone the service told "confirmed" before dying is confirmed.
    for (const reply of replies) {
      if (reply?.status === 201 && reply.body.status === 'confirmed') {
        expect(confirmed.some((r) => r._id === reply.body.id)).toBe(true);
      }
    }

    // Every confirmed registration was announced (at least once), and nothing else was.
    await listener.waitFor(
      () => confirmed.every((r) => listener.of('registration.confirmed').some((m) => m.data.registration_id === r._id)),
      30_000,
      'registration.confirmed for every confirmed registration',
    );
    const announced = new Set(
      listener
        .of('registration.confirmed')
        .filter((m) => m.data.event.event_id === eventId)
        .map((m) => m.data.registration_id),
    );
    expect([...announced].sort()).toEqual(confirmed.map((r) => r._id).sort());
    const waitlisted = regs.filter((r: RegistrationDoc) => r.status === 'waitlisted');
    await listener.waitFor(
      () =>
        waitlisted.every((r) => listener.of('registration.waitlisted').some((m) => m.data.registration_id === r._id)),
      30_000,
      'registration.waitlisted for every waitlisted registration',
    );

    // The service keeps working after the crash.
    const late = testUser('late');
    const again = await new Api(child.url).post(
      `/api/events/${eventId}/register`,
      { waitlist: true },
      { token: await issuer.mint(late) },
    );
    expect(again.status).toBe(201);
    await child.kill('SIGTERM');
    child = undefined;
  }, 120_000);
});
