import type { Bus } from '@convene/bus';
import { connectMongo } from '@convene/kit';
import { mongoUrlFor, startTestIssuer, type TestIssuer, testInfra, testUser, uniqueName } from '@convene/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDoc } from '../src/store/event-model.ts';
import type { RegistrationDoc } from '../src/store/registration-model.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { Api, type Reply } from './support/api.ts';
import { type ChildService, freePort, startChildService } from './support/child-service.ts';
import { assertCountersMatch } from './support/counters.ts';
import { eventually, futureIso, publisher } from './support/harness.ts';
import { caughtUp, type Probe, receivedOf, startProbeOn } from './support/messages.ts';
import { type StallingMongoProxy, startStallingMongoProxy } from './support/stalling-mongo-proxy.ts';

/**
 * The service runs as a real process. A burst of registrations is cut by SIGKILL, the process is
 * started again, and after recovery the seat counters must equal the confirmed registrations and
 * every confirmed registration must have been announced (counted by a real consumer).
 *
 * The kill lands in the middle of a move by construction: the first process reaches MongoDB
 * through a proxy that, once the burst is under way, holds back the reply to the next step-2
 * update (a `findAndModify` on events), and the process is killed while it waits for it.
 */
describe('crash recovery', () => {
  const database = uniqueName('events');
  const namespace = `${uniqueName('ev')}.`;
  let issuer: TestIssuer;
  let probe: Probe;
  let bus: Bus;
  let mongo: Connection;
  let store: Store;
  let proxy: StallingMongoProxy;
  let child: ChildService | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    // Subscribed before the service publishes anything, like the notifier would be.
    probe = await startProbeOn(namespace, [
      'registration.confirmed',
      'registration.waitlisted',
      'registration.rejected', // the marker of caughtUp()
    ]);
    bus = await publisher(namespace);
    const target = new URL(testInfra().mongoUrl);
    proxy = await startStallingMongoProxy(target.hostname, Number(target.port || 27017));
    mongo = await connectMongo(mongoUrlFor(database));
    store = createStore(mongo, { now: () => new Date() });
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MONGO_URL: mongoUrlFor(database),
      AMQP_URL: testInfra().amqpUrl,
      AUTH_JWKS_URL: issuer.jwksUrl,
      BUS_NAMESPACE: namespace,
      PORT: String(await freePort()),
      // Recovery judges a move stale quickly so the test does not wait long.
      TXN_TIMEOUT_MS: '2s',
      RECOVERY_INTERVAL_MS: '500ms',
      WAITLIST_INTERVAL_MS: '1h',
      // The killed process holds the outbox relay's lease; the restarted one publishes once it lapses.
      OUTBOX_LEASE_MS: '3s',
    };
  });
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await proxy?.close();
    await probe?.stop();
    await bus?.close();
    await mongo?.close();
    await issuer?.close();
  });

  it('SIGKILL in the middle of a registration burst loses no seat, makes no phantom seat and loses no message', async () => {
    child = await startChildService({ ...env, MONGO_URL: proxy.url(mongoUrlFor(database)) });
    const api = new Api(child.url);
    const host = testUser('host');
    const capacity = 120;
    const created = await api.post(
      '/api/events',
      { title: 'Crash party', start_time: futureIso(24), location: 'Server room', max_participants: capacity },
      { token: await issuer.tokenFor(host, { expiresInMs: 3_600_000 }) },
    );
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;

    // A few told "confirmed" one after the other, before the burst: the service must keep its word.
    const early: Reply[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await api.post(`/api/events/${eventId}/register`, undefined, {
        token: await issuer.tokenFor(testUser(`early${i}`), { expiresInMs: 3_600_000 }),
      });
      expect([reply.status, reply.body.status]).toEqual([201, 'confirmed']);
      early.push(reply);
    }

    const users = Array.from({ length: 400 }, (_, i) => testUser(`crash${i}`));
    const tokens = await Promise.all(users.map((u) => issuer.tokenFor(u, { expiresInMs: 3_600_000 })));
    let answered = 0;
    let stalled: Promise<unknown> | undefined;
    let armedAt!: () => void;
    const armed = new Promise<void>((resolve) => (armedAt = resolve));
    const victim = child;
    const burst = tokens.map((token, i) =>
      api
        .post(`/api/events/${eventId}/register`, i % 2 ? { waitlist: true } : undefined, { token })
        .then((r) => {
          answered++;
          // Once 40 answers are out, freeze the next step 2; most of the burst is still in flight.
          if (answered === 40) {
            stalled = proxy.stallNext((c) => c.name === 'findAndModify' && c.target === 'events');
            armedAt();
          }
          return r;
        })
        .catch(() => null),
    );
    const all = Promise.all(burst);
    await Promise.race([armed, all]);
    const stall = await Promise.race([stalled!, all.then(() => 'burst over')]);
    expect(stall, 'a step 2 was stalled before the burst ended').toMatchObject({ name: 'findAndModify' });
    const answeredAtKill = answered;
    await victim.kill('SIGKILL');
    const replies = [...early, ...(await all)];
    expect(answeredAtKill).toBeGreaterThanOrEqual(40);

    const inFlight = {
      eventTxns: (await store.events.findById(eventId).lean<EventDoc>())!.txns.length,
      registrations: await store.registrations.countDocuments({ event_id: eventId, txn: { $ne: null } }),
    };
    // The kill landed in the middle of a move: the stalled one still holds its step-1 mark (the
    // process died waiting for step 2's reply), so recovery has work to do.
    expect(inFlight.registrations).toBeGreaterThan(0);
    console.info(
      `killed after ${answeredAtKill} answers; ${replies.filter(Boolean).length} answered in all; moves left in flight: ` +
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
    // Everyone the service told "confirmed" before dying is confirmed (the five early ones at least).
    const told = replies.filter((r) => r?.status === 201 && r.body.status === 'confirmed').map((r) => r!.body.id);
    expect(told.length).toBeGreaterThanOrEqual(early.length);
    expect(confirmed.map((r) => r._id)).toEqual(expect.arrayContaining(told));

    // Everything is published (checked above); once the probe has what came before a marker,
    // every confirmed registration was announced (at least once) and nothing else was, and the same
    // for the waitlisted ones (nobody is promoted here: no seat is given back).
    await caughtUp(probe, bus, 30_000);
    const announced = (type: 'registration.confirmed' | 'registration.waitlisted') =>
      [
        ...new Set(
          receivedOf(probe, type)
            .filter((m) => m.data.event.event_id === eventId)
            .map((m) => m.data.registration_id),
        ),
      ].sort();
    expect(announced('registration.confirmed')).toEqual(confirmed.map((r) => r._id).sort());
    const waitlisted = regs.filter((r: RegistrationDoc) => r.status === 'waitlisted');
    expect(announced('registration.waitlisted')).toEqual(waitlisted.map((r) => r._id).sort());

    // The service keeps working after the crash.
    const late = testUser('late');
    const again = await new Api(child.url).post(
      `/api/events/${eventId}/register`,
      { waitlist: true },
      { token: await issuer.tokenFor(late, { expiresInMs: 3_600_000 }) },
    );
    expect(again.status).toBe(201);
    await child.kill('SIGTERM');
    child = undefined;
  }, 120_000);
});
