import { eventually, testInfra, uniqueName } from '@convene/testing';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor } from './names.ts';
import { rawChannel } from './test-support/raw-amqp.ts';
import { declareEventExchange, declareSubscriptionQueues } from './topology.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();
const names = namesFor(namespace, 'topo');

describe('topology', () => {
  let raw: { connection: ChannelModel; channel: Channel };
  const queue = names.queue('work');

  beforeAll(async () => {
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    await raw.connection.close();
  });

  it('declares idempotently: a second declaration with the same arguments changes nothing', async () => {
    const topology = { queue, routingKeys: ['user.activated'], retryDelaysMs: [300, 1200], deliveryLimit: 5 };
    for (let i = 0; i < 2; i++) {
      await declareEventExchange(raw.channel, names);
      await declareSubscriptionQueues(raw.channel, names, topology);
    }
    for (const q of [queue, names.dlq, names.unrouted, names.retryQueue(queue, 300), names.retryQueue(queue, 1200)]) {
      expect((await raw.channel.checkQueue(q)).queue).toBe(q);
    }
  });

  it('refuses to redeclare a queue with a different delivery limit instead of silently changing it', async () => {
    const other = await raw.connection.createChannel();
    other.on('error', () => {});
    const attempt = declareSubscriptionQueues(other, names, {
      queue,
      routingKeys: ['user.activated'],
      retryDelaysMs: [300, 1200],
      deliveryLimit: 6,
    });
    await expect(attempt).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it('returns a message from a wait queue to the work queue after that queue’s delay, each delay on its own', async () => {
    await raw.channel.purgeQueue(queue);
    // The long wait is sent first. Whenever the test gets to look, the short one must have come
    // back first, and neither before its own delay: both hold however slowly the machine runs.
    const sentAt = performance.now();
    raw.channel.sendToQueue(names.retryQueue(queue, 1200), Buffer.from('slow'), { persistent: true });
    raw.channel.sendToQueue(names.retryQueue(queue, 300), Buffer.from('fast'), { persistent: true });

    const arrivals: Array<{ body: string; after: number }> = [];
    await eventually(
      async () => {
        const message = await raw.channel.get(queue, { noAck: true });
        if (message) arrivals.push({ body: message.content.toString(), after: performance.now() - sentAt });
        return arrivals.length === 2;
      },
      { timeoutMs: 15_000, intervalMs: 20, what: 'both messages back in the work queue' },
    );
    // The short wait was not held behind the long one, as it would be with both in one queue.
    expect(arrivals.map((a) => a.body)).toEqual(['fast', 'slow']);
    // Lower bounds only (a busy machine makes them later, never earlier), with slack for timer rounding.
    expect(arrivals[0]!.after).toBeGreaterThanOrEqual(280);
    expect(arrivals[1]!.after).toBeGreaterThanOrEqual(1150);
    expect(await raw.channel.get(queue, { noAck: true })).toBe(false);
  });

  it('sends what no queue is bound for to the unrouted queue instead of dropping it', async () => {
    const before = (await raw.channel.checkQueue(names.unrouted)).messageCount;
    raw.channel.publish(names.exchange, 'nobody.listens', Buffer.from('{}'));
    await eventually(async () => (await raw.channel.checkQueue(names.unrouted)).messageCount === before + 1);
  });
});
