import type { DomainEvent } from '@convene/contracts';
import { eventually, mongoUrlFor, testInfra, uniqueName } from '@convene/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Bus } from '../bus.ts';
import { PublishError } from '../errors.ts';
import { userActivated } from '../test-support/envelopes.ts';
import { outboxFields } from './outbox-fields.ts';
import { type OutboxModel, type OutboxRelay, startOutboxRelay } from './outbox-relay.ts';
import { withOutbox } from './with-outbox.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();
const dbUrl = mongoUrlFor(uniqueName('bus_outbox_x'));

interface Seat {
  name: string;
  version: number;
  outbox: DomainEvent[];
  outbox_at: Date | null;
}

describe('outbox relay, exclusive', { timeout: 90_000 }, () => {
  const connections: Connection[] = [];
  const buses: Bus[] = [];
  const relays: OutboxRelay[] = [];

  async function openDb(collection: string): Promise<Model<Seat>> {
    const connection = await mongoose.createConnection(dbUrl).asPromise();
    connections.push(connection);
    const schema = new mongoose.Schema({ name: String, version: { type: Number, default: 0 } });
    schema.add(outboxFields);
    const Seat = connection.model<Seat>('Seat', schema, collection);
    await Seat.init();
    return Seat;
  }

  async function connectBus(): Promise<Bus> {
    const bus = await Bus.connect({ url: amqpUrl, service: 'outbox-x', namespace, retryDelaysMs: [200] });
    buses.push(bus);
    return bus;
  }

  function relay(options: Parameters<typeof startOutboxRelay>[0]): OutboxRelay {
    const started = startOutboxRelay(options);
    relays.push(started);
    return started;
  }

  /** The model, with the collection's conditional updates that claim documents counted. */
  function countingClaims(Seat: Model<Seat>): { model: OutboxModel; claims: () => number } {
    let claims = 0;
    const collection = new Proxy(Seat.collection, {
      get(target, key, receiver) {
        if (key === 'findOneAndUpdate') claims++;
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { model: { collection, modelName: Seat.modelName }, claims: () => claims };
  }

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

  /** Every `user.activated` with a subject starting with `tag-`, in arrival order, and a marker check. */
  async function listen(bus: Bus, tag: string) {
    const received: DomainEvent[] = [];
    const markers: string[] = [];
    await bus.subscribe(tag, {
      'user.activated': (event) => {
        if (event.subject.startsWith(`${tag}-`)) received.push(event);
        if (event.subject === 'marker') markers.push(event.id);
      },
    });
    const deliveredUpTo = async () => {
      const marker = { ...userActivated(999), subject: 'marker' };
      await bus.publish([marker]);
      await eventually(() => markers.includes(marker.id), { what: 'the marker' });
    };
    return { received, deliveredUpTo };
  }

  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
  });

  afterAll(async () => {
    for (const bus of buses) await bus.close({ timeoutMs: 1000 }).catch(() => {});
    await connections[0]?.dropDatabase().catch(() => {});
    for (const connection of connections) await connection.close();
  });

  it('publishes a backlog in batches without claiming a document: each envelope once, in order, documents clean', async () => {
    const Seat = await openDb('backlog');
    const written = await writeEvents(Seat, 30, 2, 'backlog');
    const bus = await connectBus();
    const { received, deliveredUpTo } = await listen(bus, 'backlog');
    const { model, claims } = countingClaims(Seat);
    let publishes = 0;
    const counting = {
      isReady: () => bus.isReady(),
      publish: (envelopes: readonly DomainEvent[]) => {
        publishes++;
        return bus.publish(envelopes);
      },
    };
    const clock = new Date();
    const r = relay({ bus: counting, models: [model], exclusive: true, batch: 10, pollMs: 100, now: () => clock });
    await r.drain();
    await r.stop();
    await deliveredUpTo();

    expect(claims()).toBe(0);
    expect(publishes).toBe(3); // 30 documents, 10 a batch
    expect(received).toHaveLength(60);
    expect(new Set(received.map((e) => e.id)).size).toBe(60);
    for (const events of written) {
      expect(received.filter((e) => e.subject === events[0]!.subject).map((e) => e.id)).toEqual(
        events.map((e) => e.id),
      );
    }
    const left = await Seat.find({}).lean();
    expect(left.every((s) => s.outbox.length === 0 && s.outbox_at === null)).toBe(true);
    expect(r.stats()).toEqual({ published: 60, failedPublishes: 0 });
  });

  it('lets only the lease holder publish, and another relay take over once the lease has run out', async () => {
    const Seat = await openDb('holder');
    const first = (await writeEvents(Seat, 5, 1, 'holder')).flat();
    const bus = await connectBus();
    const { received, deliveredUpTo } = await listen(bus, 'holder');
    const leaseMs = 60_000;
    let clock = new Date();
    const options = { bus, models: [Seat], exclusive: true, leaseMs, pollMs: 60_000, now: () => clock };
    // A relay starts working as soon as it is created: b only once a holds the lease.
    const a = relay({ ...options, holder: 'relay-a' });
    await a.drain();
    const b = relay({ ...options, holder: 'relay-b' });
    await b.drain();
    expect(a.stats().published).toBe(first.length);
    expect(b.stats().published).toBe(0);

    await a.stop(); // as if its process died: the lease stays until it runs out
    const second = (await writeEvents(Seat, 5, 1, 'holder-late')).flat();
    clock = new Date(clock.getTime() + leaseMs - 1);
    await b.drain();
    expect(b.stats().published).toBe(0);
    clock = new Date(clock.getTime() + 2);
    await b.drain();
    expect(b.stats().published).toBe(second.length);
    await deliveredUpTo();
    const ids = received.map((e) => e.id);
    expect(ids.sort()).toEqual([...first, ...second].map((e) => e.id).sort());
  });

  it('keeps unconfirmed envelopes, holds their document back for the lease, then publishes them', async () => {
    const Seat = await openDb('partial');
    const [events] = await writeEvents(Seat, 1, 2, 'partial');
    const [confirmedOne, failedOne] = events as [DomainEvent, DomainEvent];
    const bus = await connectBus();
    const { received, deliveredUpTo } = await listen(bus, 'partial');
    let failures = 0;
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
    const r = relay({ bus: flaky, models: [Seat], exclusive: true, leaseMs, pollMs: 60_000, now: () => clock });
    await r.drain();
    expect(r.stats()).toEqual({ published: 1, failedPublishes: 1 });
    const midway = await Seat.findOne({ name: 'partial-0' }).lean();
    expect(midway!.outbox.map((e) => e.id)).toEqual([failedOne.id]);
    expect(midway!.outbox_at).toEqual(new Date(clock.getTime() + leaseMs));

    clock = new Date(clock.getTime() + leaseMs - 1);
    await r.drain();
    expect(r.stats()).toEqual({ published: 1, failedPublishes: 1 });
    clock = new Date(clock.getTime() + 2);
    await r.drain();
    expect(r.stats()).toEqual({ published: 2, failedPublishes: 1 });
    await deliveredUpTo();
    expect(received.map((e) => e.id)).toEqual([confirmedOne.id, failedOne.id]);
    const after = await Seat.findOne({ name: 'partial-0' }).lean();
    expect({ outbox: after!.outbox, outbox_at: after!.outbox_at }).toEqual({ outbox: [], outbox_at: null });
  });
});
