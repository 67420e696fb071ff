import type { DomainEvent } from '@convene/contracts';
import { mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import mongoose, { type Connection, type Model } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus.ts';
import { PublishError } from '../errors.ts';
import { once } from '../idempotency/once.ts';
import { userActivated } from '../test-support/envelopes.ts';
import { deleteNamespace } from '../test-support/rabbitmqctl.ts';
import { rawChannel } from '../test-support/raw-amqp.ts';
import { sleep, waitFor } from '../test-support/wait-for.ts';
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

describe('outbox relay', () => {
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

  /** Writes `perDoc` events onto each of `docs` new documents the way a service would, with no relay running. */
  async function writeEvents(Seat: Model<Seat>, docs: number, perDoc: number, tag: string) {
    const written: DomainEvent[][] = [];
    for (let d = 0; d < docs; d++) {
      const seat = await Seat.create({ name: `${tag}-${d}` });
      const events = Array.from({ length: perDoc }, (_, i) => ({
        ...userActivated(d * 100 + i),
        subject: `${tag}-${d}`,
      }));
      await Seat.findOneAndUpdate({ _id: seat._id }, withOutbox({ $inc: { version: 1 } }, events));
      written.push(events);
    }
    return written;
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
    await deleteNamespace(raw.channel, namespace);
    await raw.connection.close();
  });

  it('publishes events written while no relay ran exactly once each, in order per document, when a relay starts', async () => {
    const { Seat } = await openDb('first');
    const written = await writeEvents(Seat, 20, 3, 'first');
    const pending = await Seat.countDocuments({ outbox_at: { $ne: null }, name: /^first-/ });
    expect(pending).toBe(20);

    const bus = await connectBus();
    const deliveries: DomainEvent[] = [];
    await bus.subscribe('first', {
      'user.activated': (event) => {
        if (event.subject.startsWith('first-')) deliveries.push(event);
      },
    });
    await sleep(300);
    expect(deliveries).toHaveLength(0); // nothing is published without a relay

    const r = relay({ bus, models: [Seat], pollMs: 100, leaseMs: 5000 });
    await waitFor(() => deliveries.length >= 60, { what: '60 deliveries' });
    await r.drain();
    await sleep(300);

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
    await consumerBus.subscribe('two', {
      'user.activated': async (event) => {
        if (!event.subject.startsWith('two-')) return;
        deliveries.set(event.id, (deliveries.get(event.id) ?? 0) + 1);
        await once(consumerDb.connection, 'test:count', event.id, async () => {
          handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
        });
      },
    });

    const busA = await connectBus();
    const busB = await connectBus();
    const relayA = relay({ bus: busA, models: [first.Seat], pollMs: 20, leaseMs: 10_000 });
    const relayB = relay({ bus: busB, models: [second.Seat], pollMs: 20, leaseMs: 10_000 });
    await Promise.all([relayA.drain(), relayB.drain()]);
    await waitFor(() => handled.size === written.length, { what: 'every envelope handled' });
    await sleep(500);

    expect(relayA.stats().published + relayB.stats().published).toBe(written.length);
    expect(relayA.stats().published).toBeGreaterThan(0);
    expect(relayB.stats().published).toBeGreaterThan(0);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(handled.keys())).toEqual(new Set(written.map((e) => e.id)));

    // The uncommon case: a relay died after publishing but before pulling, so another publishes again.
    const again = written.slice(0, 10);
    await busA.publish(again);
    await waitFor(() => again.every((e) => deliveries.get(e.id) === 2), { what: 'the duplicate deliveries' });
    await sleep(200);
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
    const r = relay({ bus: flaky, models: [Seat], pollMs: 50, leaseMs: 600 });
    await waitFor(() => deliveries.length === 1, { what: 'the confirmed envelope' });
    const midway = await Seat.findOne({ name: 'partial-0' }).lean();
    expect(midway!.outbox.map((e) => e.id)).toEqual([failedOne.id]);
    expect(midway!.outbox_at!.getTime()).toBeGreaterThan(Date.now()); // held back by the lease

    await waitFor(() => deliveries.length === 2, { timeoutMs: 5000, what: 'the retried envelope' });
    expect(deliveries).toEqual([confirmedOne.id, failedOne.id]);
    await waitFor(async () => (await Seat.findOne({ name: 'partial-0' }).lean())?.outbox_at === null);
    expect(r.stats()).toEqual({ published: 2, failedPublishes: 1 });
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
    let leaseAfterWrite: Date | null = null;
    // The real bus; while the relay publishes the first envelope, the service writes another.
    const racing = {
      isReady: () => bus.isReady(),
      publish: async (envelopes: readonly DomainEvent[]) => {
        if (envelopes.some((e) => e.id === early.id)) {
          const after = await Seat.findOneAndUpdate({ name: 'late-0' }, withOutbox({ $inc: { version: 1 } }, [late]), {
            new: true,
          });
          leaseAfterWrite = after!.outbox_at;
        }
        return bus.publish(envelopes);
      },
    };
    const r = relay({ bus: racing, models: [Seat], pollMs: 50, leaseMs: 5000 });
    await waitFor(() => received.length === 2, { what: 'both envelopes' });
    expect(received).toEqual([early.id, late.id]);
    // The write kept the relay's lease (outbox_at is raised with $max, never lowered), so no
    // other relay could claim the document while this one was publishing it.
    expect(leaseAfterWrite!.getTime()).toBeGreaterThan(Date.now() + 1000);
    await waitFor(async () => (await Seat.findOne({ name: 'late-0' }).lean())?.outbox_at === null);
    expect((await Seat.findOne({ name: 'late-0' }).lean())!.outbox).toEqual([]);
    expect(r.stats().published).toBe(2);
  });

  it('publishes envelopes appended while it works and leaves the document clean', async () => {
    const { Seat } = await openDb('busy');
    const seat = await Seat.create({ name: 'busy' });
    const bus = await connectBus();
    const received = new Set<string>();
    await bus.subscribe('busy', {
      'user.activated': (event) => {
        if (event.subject === 'busy') received.add(event.id);
      },
    });
    const r = relay({ bus, models: [Seat], pollMs: 30, leaseMs: 5000 });
    const sent: string[] = [];
    for (let i = 0; i < 40; i++) {
      const event = { ...userActivated(i), subject: 'busy' };
      sent.push(event.id);
      await Seat.findOneAndUpdate({ _id: seat._id }, withOutbox({ $inc: { version: 1 } }, [event]));
      if (i % 3 === 0) r.nudge();
      await sleep(i % 5);
    }
    await waitFor(() => sent.every((id) => received.has(id)), { what: 'every appended envelope' });
    await waitFor(async () => {
      const doc = await Seat.findById(seat._id).lean();
      return doc?.outbox.length === 0 && doc.outbox_at === null;
    });
    const doc = await Seat.findById(seat._id).lean();
    expect(doc!.version).toBe(40);
  });
});
