import type { DomainEvent } from '@convene/contracts';
import { eventually, mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import mongoose, { type Connection, type Model } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus.ts';
import { PublishError } from '../errors.ts';
import { once } from '../idempotency/once.ts';
import { userActivated } from '../test-support/envelopes.ts';
import { rawChannel } from '../test-support/raw-amqp.ts';
import { sleep, within } from '../test-support/wait-for.ts';
import { outboxFields } from './outbox-fields.ts';
import { type OutboxRelay, startOutboxRelay } from './outbox-relay.ts';
import { withOutbox } from './with-outbox.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();
const dbUrl = mongoUrlFor(uniqueName('bus_outbox'));

interface Seat {
  name: string;
  version: number;
  outbox: DomainEvent[];
  outbox_at: Date | null;
}

/** One collection per test, so a relay of one test never sees another test's documents. */
function seatModel(connection: Connection, collection: string): Model<Seat> {
  const schema = new mongoose.Schema({ name: String, version: { type: Number, default: 0 } });
  schema.add(outboxFields);
  return connection.model<Seat>('Seat', schema, collection);
}

// A generous failure bound: these tests make hundreds of round trips to the shared test database.
describe('outbox relay', { timeout: 90_000 }, () => {
  const connections: Connection[] = [];
  const buses: Bus[] = [];
  const relays: OutboxRelay[] = [];
  let raw: { connection: ChannelModel; channel: Channel };

  async function openDb(collection: string): Promise<{ connection: Connection; Seat: Model<Seat> }> {
    const connection = await mongoose.createConnection(dbUrl).asPromise();
    connections.push(connection);
    const Seat = seatModel(connection, collection);
    await Seat.init();
    return { connection, Seat };
  }

  async function connectBus(): Promise<Bus> {
    const bus = await Bus.connect({ url: amqpUrl, service: 'outbox', namespace, retryDelaysMs: [200] });
    buses.push(bus);
    return bus;
  }

  function relay(options: Parameters<typeof startOutboxRelay>[0]): OutboxRelay {
    const started = startOutboxRelay(options);
    relays.push(started);
    return started;
  }

  /**
   * Publishes a marker envelope (subject `marker`) and waits until `markers` holds it: whatever
   * was published to the queue before it has been delivered by then.
   */
  async function deliveredUpTo(bus: Bus, markers: readonly string[]): Promise<void> {
    const marker = { ...userActivated(999), subject: 'marker' };
    await bus.publish([marker]);
    await eventually(() => markers.includes(marker.id), { what: 'the marker' });
  }

  /**
   * Writes `perDoc` events onto each of `docs` new documents the way a service would, with no relay
   * running. The documents are written side by side (each one's own writes in order): on a loaded
   * machine a shared test database can take 100 ms a round trip.
   */
  async function writeEvents(Seat: Model<Seat>, docs: number, perDoc: number, tag: string) {
    return Promise.all(
      Array.from({ length: docs }, async (_, d) => {
        const seat = await Seat.create({ name: `${tag}-${d}` });
        const events = Array.from({ length: perDoc }, (_, i) => ({
          ...userActivated(d * 100 + i),
          subject: `${tag}-${d}`,
        }));
        await Seat.findOneAndUpdate({ _id: seat._id }, withOutbox({ $inc: { version: 1 } }, events));
        return events;
      }),
    );
  }

  beforeAll(async () => {
    raw = await rawChannel(amqpUrl);
  });

  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
  });

  afterAll(async () => {
    for (const bus of buses) await bus.close({ timeoutMs: 1000 }).catch(() => {});
    await connections[0]?.dropDatabase().catch(() => {});
    for (const connection of connections) await connection.close();
    await raw.connection.close();
  });

  // The relays run on a frozen clock (`now`) set after the documents were written: they are all
  // due, and no lease runs out however slow the machine is, unless a test moves the clock.

  it('publishes events written while no relay ran exactly once each, in order per document, when a relay starts', async () => {
    const { Seat } = await openDb('first');
    const written = await writeEvents(Seat, 20, 3, 'first');
    const pending = await Seat.countDocuments({ outbox_at: { $ne: null }, name: /^first-/ });
    expect(pending).toBe(20);

    const bus = await connectBus();
    const deliveries: DomainEvent[] = [];
    const markers: string[] = [];
    await bus.subscribe('first', {
      'user.activated': (event) => {
        if (event.subject.startsWith('first-')) deliveries.push(event);
        if (event.subject === 'marker') markers.push(event.id);
      },
    });
    await deliveredUpTo(bus, markers);
    expect(deliveries).toHaveLength(0); // nothing is published without a relay

    const clock = new Date();
    const r = relay({ bus, models: [Seat], pollMs: 100, leaseMs: 5000, now: () => clock });
    await r.drain();
    await r.stop(); // nothing more can be published: the marker shows all that was
    await deliveredUpTo(bus, markers);

    expect(deliveries).toHaveLength(60);
    expect(new Set(deliveries.map((e) => e.id)).size).toBe(60);
    for (const events of written) {
      const seen = deliveries.filter((e) => e.subject === events[0]!.subject).map((e) => e.id);
      expect(seen).toEqual(events.map((e) => e.id));
    }
    const left = await Seat.find({ name: /^first-/ }).lean();
    expect(left.every((s) => s.outbox.length === 0 && s.outbox_at === null)).toBe(true);
    expect(r.stats()).toEqual({ published: 60, failedPublishes: 0 });
  });

  it('with two relays at once publishes no envelope twice, and a consumer using once() handles each exactly once', async () => {
    const first = await openDb('two');
    const second = await openDb('two');
    const written = (await writeEvents(first.Seat, 50, 2, 'two')).flat();

    const consumerDb = await openDb('consumer');
    const consumerBus = await connectBus();
    const deliveries = new Map<string, number>();
    const handled = new Map<string, number>();
    const finished = new Map<string, number>();
    const markers: string[] = [];
    await consumerBus.subscribe('two', {
      'user.activated': async (event) => {
        if (event.subject === 'marker') markers.push(event.id);
        if (!event.subject.startsWith('two-')) return;
        deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1);
        try {
          await once(consumerDb.connection, 'test:count', event.id, async () => {
            handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
          });
        } finally {
          finished.set(event.id, (finished.get(event.id) ?? 0) + 1);
        }
      },
    });

    // Every publish of either relay waits until both have claimed a document and begun publishing
    // it, so the two really work on the collection at the same time, on any machine: each can
    // hold at most `concurrency` documents at the barrier, so the other always finds one to claim.
    const publishedBy = { A: [] as string[], B: [] as string[] };
    let bothPublishing!: () => void;
    const bothStarted = new Promise<void>((resolve) => {
      bothPublishing = resolve;
    });
    const meetingTheOther = (name: 'A' | 'B', bus: Bus) => ({
      isReady: () => bus.isReady(),
      publish: async (envelopes: readonly DomainEvent[]) => {
        publishedBy[name].push(...envelopes.map((e) => e.id));
        if (publishedBy.A.length > 0 && publishedBy.B.length > 0) bothPublishing();
        await within(bothStarted, 15_000, `the other relay than ${name} to publish`);
        return bus.publish(envelopes);
      },
    });
    const busA = await connectBus();
    const busB = await connectBus();
    const clock = new Date();
    const options = { pollMs: 20, leaseMs: 10_000, now: () => clock };
    const relayA = relay({ bus: meetingTheOther('A', busA), models: [first.Seat], ...options });
    const relayB = relay({ bus: meetingTheOther('B', busB), models: [second.Seat], ...options });
    await Promise.all([relayA.drain(), relayB.drain()]);
    await Promise.all([relayA.stop(), relayB.stop()]);
    await deliveredUpTo(busA, markers);

    expect(publishedBy.A.length).toBeGreaterThan(0);
    expect(publishedBy.B.length).toBeGreaterThan(0);
    const publishedIds = [...publishedBy.A, ...publishedBy.B];
    expect(publishedIds).toHaveLength(written.length);
    expect(new Set(publishedIds)).toEqual(new Set(written.map((e) => e.id)));
    expect(relayA.stats()).toEqual({ published: publishedBy.A.length, failedPublishes: 0 });
    expect(relayB.stats()).toEqual({ published: publishedBy.B.length, failedPublishes: 0 });
    expect(deliveries.size).toBe(written.length);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    await eventually(() => finished.size === written.length, { what: 'every handler to finish' });
    expect(handled.size).toBe(written.length);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);

    // The uncommon case: a relay died after publishing but before pulling, so another publishes again.
    const again = written.slice(0, 10);
    await busA.publish(again);
    await eventually(() => again.every((e) => finished.get(e.id) === 2), { what: 'the duplicates to be handled' });
    expect(again.every((e) => deliveries.get(e.id) === 2)).toBe(true);
    expect(handled.size).toBe(written.length);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps unconfirmed envelopes, pulls only confirmed ones, and publishes the rest after the lease', async () => {
    const { Seat } = await openDb('partial');
    const [events] = await writeEvents(Seat, 1, 2, 'partial');
    const [confirmedOne, failedOne] = events as [DomainEvent, DomainEvent];
    const bus = await connectBus();
    const deliveries: string[] = [];
    await bus.subscribe('partial', {
      'user.activated': (event) => {
        if (event.subject.startsWith('partial-')) deliveries.push(event.id);
      },
    });
    let failures = 0;
    // The real bus, except that the first attempt only gets the first envelope confirmed.
    const flaky = {
      isReady: () => bus.isReady(),
      publish: async (envelopes: readonly DomainEvent[]) => {
        if (failures > 0) return bus.publish(envelopes);
        failures++;
        await bus.publish(envelopes.slice(0, 1));
        throw new PublishError([envelopes[0]!.id], [{ id: envelopes[1]!.id, error: new Error('not confirmed') }]);
      },
    };
    const leaseMs = 60_000;
    let clock = new Date();
    const r = relay({ bus: flaky, models: [Seat], pollMs: 50, leaseMs, now: () => clock });
    await r.drain();
    expect(r.stats()).toEqual({ published: 1, failedPublishes: 1 });
    const midway = await Seat.findOne({ name: 'partial-0' }).lean();
    expect(midway!.outbox.map((e) => e.id)).toEqual([failedOne.id]);
    expect(midway!.outbox_at).toEqual(new Date(clock.getTime() + leaseMs)); // held back by the lease

    // Within the lease the document is left alone, however many rounds run.
    clock = new Date(clock.getTime() + leaseMs - 1);
    await r.drain();
    expect(r.stats()).toEqual({ published: 1, failedPublishes: 1 });

    clock = new Date(clock.getTime() + 2); // the lease is over
    await r.drain();
    expect(r.stats()).toEqual({ published: 2, failedPublishes: 1 });
    await eventually(() => deliveries.length === 2, { what: 'the retried envelope' });
    expect(deliveries).toEqual([confirmedOne.id, failedOne.id]);
    const after = await Seat.findOne({ name: 'partial-0' }).lean();
    expect({ outbox: after!.outbox, outbox_at: after!.outbox_at }).toEqual({ outbox: [], outbox_at: null });
  });

  it('publishes an envelope written while its document was being published, and only then clears outbox_at', async () => {
    const { Seat } = await openDb('late');
    const [[early]] = (await writeEvents(Seat, 1, 1, 'late')) as [[DomainEvent]];
    const bus = await connectBus();
    const received: string[] = [];
    await bus.subscribe('late', {
      'user.activated': (event) => {
        if (event.subject === 'late-0') received.push(event.id);
      },
    });
    const late = { ...userActivated(99), subject: 'late-0' };
    const leaseMs = 60_000;
    const clock = new Date();
    let leaseAfterWrite: Date | null = null;
    // The real bus; while the relay publishes the first envelope, the service writes another
    // (one second later by the relay's clock, well inside the lease).
    const racing = {
      isReady: () => bus.isReady(),
      publish: async (envelopes: readonly DomainEvent[]) => {
        if (envelopes.some((e) => e.id === early.id)) {
          const writtenAt = new Date(clock.getTime() + 1000);
          const after = await Seat.findOneAndUpdate(
            { name: 'late-0' },
            withOutbox({ $inc: { version: 1 } }, [late], writtenAt),
            { new: true },
          );
          leaseAfterWrite = after!.outbox_at;
        }
        return bus.publish(envelopes);
      },
    };
    const r = relay({ bus: racing, models: [Seat], pollMs: 50, leaseMs, now: () => clock });
    await r.drain();
    // The write kept the relay's lease (outbox_at is raised with $max, never lowered), so no
    // other relay could claim the document while this one was publishing it.
    expect(leaseAfterWrite).toEqual(new Date(clock.getTime() + leaseMs));
    expect(r.stats()).toEqual({ published: 2, failedPublishes: 0 });
    const doc = await Seat.findOne({ name: 'late-0' }).lean();
    expect({ outbox: doc!.outbox, outbox_at: doc!.outbox_at }).toEqual({ outbox: [], outbox_at: null });
    await eventually(() => received.length === 2, { what: 'both envelopes' });
    expect(received).toEqual([early.id, late.id]);
  });

  it('publishes envelopes appended while it works and leaves the document clean', async () => {
    const { Seat } = await openDb('busy');
    const seat = await Seat.create({ name: 'busy' });
    const bus = await connectBus();
    const received = new Map<string, number>();
    const markers: string[] = [];
    await bus.subscribe('busy', {
      'user.activated': (event) => {
        if (event.subject === 'busy') received.set(event.id, (received.get(event.id) ?? 0) + 1);
        if (event.subject === 'marker') markers.push(event.id);
      },
    });
    // An hour ahead and frozen: every write below is due at once, and no lease runs out.
    const clock = new Date(Date.now() + 3_600_000);
    const r = relay({ bus, models: [Seat], pollMs: 30, leaseMs: 5000, now: () => clock });
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      const event = { ...userActivated(i), subject: 'busy' };
      sent.push(event.id);
      await Seat.findOneAndUpdate({ _id: seat._id }, withOutbox({ $inc: { version: 1 } }, [event]));
      if (i % 3 === 0) r.nudge();
      await sleep(i % 5); // pacing only: vary where the writes land in the relay's work
    }
    await r.drain();
    await r.stop();
    const doc = await Seat.findById(seat._id).lean();
    expect({ outbox: doc!.outbox, outbox_at: doc!.outbox_at, version: doc!.version }).toEqual({
      outbox: [],
      outbox_at: null,
      version: 40,
    });
    expect(r.stats()).toEqual({ published: 40, failedPublishes: 0 });
    await deliveredUpTo(bus, markers);
    expect([...received.keys()].sort()).toEqual([...sent].sort());
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  });
});
