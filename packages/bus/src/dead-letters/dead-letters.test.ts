import { eventually, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '../bus.ts';
import { PermanentError } from '../errors.ts';
import { userActivated } from '../test-support/envelopes.ts';
import { rawChannel } from '../test-support/raw-amqp.ts';
import { DeadLetterQueues, deadLetterQueues } from './dead-letters.ts';

const namespace = `${uniqueName('dlq')}.`;
const { amqpUrl } = testInfra();

/**
 * Poison messages dead-lettered for real, by the bus (a permanent handler error) and by the broker
 * (a work queue's delivery limit), then listed, shown, replayed and discarded through the tool.
 */
describe('dead-letter queues', () => {
  let bus: Bus;
  let tool: DeadLetterQueues;
  let raw: { connection: ChannelModel; channel: Channel };
  const handled = new Map<string, number>();
  let healed = false;
  const dlq = `${namespace}dl.dlq`;
  const work = `${namespace}dl.poison`;

  beforeAll(async () => {
    bus = await Bus.connect({ url: amqpUrl, service: 'dl', namespace, retryDelaysMs: [50] });
    await bus.subscribe('poison', {
      'user.activated': (event) => {
        if (!healed && event.data.user_id.startsWith('bad')) throw new PermanentError(`poison ${event.data.user_id}`);
        handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
      },
    });
    tool = await DeadLetterQueues.open(amqpUrl, `${namespace}tool`);
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    await bus?.close({ timeoutMs: 1000 });
    await tool?.close();
    await raw?.connection.close().catch(() => {});
  });

  const poison = (n: number) => {
    const event = userActivated(n);
    return { ...event, subject: `bad${n}`, data: { ...event.data, user_id: `bad${n}` } };
  };
  const dlqLength = (n: number) =>
    eventually(async () => (await tool.count(dlq)) === n, { what: `${n} message(s) in ${dlq}` });

  it('names one DLQ per service and counts a missing one as absent, not empty', async () => {
    expect(deadLetterQueues(namespace, ['dl', 'other'])).toEqual([dlq, `${namespace}other.dlq`]);
    expect(await tool.count(`${namespace}other.dlq`)).toBeNull();
  });

  it('shows, replays by id, discards by id and replays the rest: each replayed message handled once, order kept', async () => {
    const [a, b, c] = [poison(1), poison(2), poison(3)];
    for (const event of [a, b, c]) await bus.publish([event]); // one at a time: the DLQ's order is known
    await dlqLength(3);

    const shown = await tool.peek(dlq);
    expect(shown.map((l) => l.id)).toEqual([a.id, b.id, c.id]);
    expect(shown[0]).toMatchObject({
      type: 'user.activated',
      position: 1,
      origin: { queue: work, routingKey: 'user.activated', reason: 'poison bad1', attempts: 1, replays: 0 },
    });
    // Peeking took nothing and reordered nothing.
    expect((await tool.peek(dlq)).map((l) => l.id)).toEqual([a.id, b.id, c.id]);
    expect((await tool.peek(dlq, { id: b.id })).map((l) => l.position)).toEqual([2]);
    expect(await tool.count(dlq)).toBe(3);

    healed = true;
    const one = await tool.replay(dlq, { id: b.id });
    expect(one).toMatchObject({ total: 3, matched: 1, replayed: 1, skipped: [] });
    await eventually(() => handled.get(b.id) === 1, { what: 'the replayed message handled' });
    expect((await tool.peek(dlq)).map((l) => l.id)).toEqual([a.id, c.id]);

    expect(await tool.discard(dlq, { id: c.id })).toEqual({ total: 2, discarded: 1 });
    expect((await tool.peek(dlq)).map((l) => l.id)).toEqual([a.id]);

    const progress: number[] = [];
    const rest = await tool.replay(dlq, { all: true }, { onProgress: (p) => progress.push(p.seen) });
    expect(rest).toMatchObject({ total: 1, replayed: 1 });
    expect(progress).toEqual([1]);
    await eventually(() => handled.get(a.id) === 1, { what: 'the second replay handled' });
    await dlqLength(0);
    // A marker-keeping consumer would drop a second copy anyway; here there simply is none.
    await bus.publish([userActivated(99)]);
    await eventually(() => handled.size === 3, { what: 'a later message after the replays' });
    expect([...handled.values()]).toEqual([1, 1, 1]);
    expect(handled.has(c.id)).toBe(false);
    healed = false;
  });

  it('replays a message that fails again once per run: it comes back with its replay counted, not in a loop', async () => {
    const d = poison(4);
    await bus.publish([d]);
    await dlqLength(1);
    const outcome = await tool.replay(dlq, { all: true });
    expect(outcome).toMatchObject({ total: 1, replayed: 1 });
    await dlqLength(1);
    const [back] = await tool.peek(dlq);
    expect(back).toMatchObject({ id: d.id, origin: { queue: work, reason: 'poison bad4', attempts: 1, replays: 1 } });
    expect(await tool.discard(dlq, { all: true })).toEqual({ total: 1, discarded: 1 });
    await dlqLength(0);
  });

  it("reads the broker's own dead-lettering (delivery limit) and replays it to the work queue it left", async () => {
    const crashBus = await Bus.connect({ url: amqpUrl, service: 'dl', namespace, deliveryLimit: 1 });
    const crashy = `${namespace}dl.crashy`;
    try {
      const subscription = await crashBus.subscribe('crashy', { 'user.activated': () => {} });
      await subscription.cancel();
      const looping = userActivated(5);
      await crashBus.publish([looping]);
      // A consumer that never acks: handed back until the broker gives up (limit + 1 deliveries).
      await eventually(
        async () => {
          const message = await raw.channel.get(crashy, { noAck: false });
          if (message) raw.channel.nack(message, false, true);
          return (await tool.count(dlq)) === 1;
        },
        { what: 'the delivery limit to dead-letter the message' },
      );
      const [letter] = await tool.peek(dlq);
      expect(letter).toMatchObject({
        id: looping.id,
        origin: { queue: crashy, routingKey: 'user.activated', code: 'DELIVERY_LIMIT' },
      });
      expect(letter!.origin.reason).toMatch(/delivery limit/);

      expect(await tool.replay(dlq, { id: looping.id })).toMatchObject({ replayed: 1 });
      const back = await eventually(() => raw.channel.get(crashy, { noAck: true }).then((m) => m || undefined), {
        what: 'the replayed copy in its work queue',
      });
      expect(back.properties.messageId).toBe(looping.id);
      expect(back.properties.headers?.['x-convene-routing-key']).toBe('user.activated');
      expect(back.properties.headers?.['x-death']).toBeUndefined();
      expect(await tool.count(dlq)).toBe(0);
    } finally {
      await crashBus.close({ timeoutMs: 1000 });
    }
  });
});
