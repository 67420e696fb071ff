import { randomUUID } from 'node:crypto';
import { testInfra } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerConnection } from './connection.ts';
import { silentLogger } from './logger.ts';
import { ConfirmPublisher, type OutgoingMessage } from './publisher.ts';

const { amqpUrl } = testInfra();

describe('ConfirmPublisher', () => {
  let connection: BrokerConnection;
  let publisher: ConfirmPublisher;

  beforeAll(async () => {
    connection = await BrokerConnection.open({ url: amqpUrl, name: 'bus-publisher-test', logger: silentLogger });
    publisher = new ConfirmPublisher(connection, { logger: silentLogger, timeoutMs: 5000 });
    await publisher.start();
  });

  afterAll(async () => {
    await publisher?.close();
    await connection?.close();
  });

  const toQueue = (queue: string): OutgoingMessage => ({
    exchange: '',
    routingKey: queue,
    content: Buffer.from('{}'),
    options: { messageId: randomUUID(), mandatory: true, persistent: true },
  });

  it('fails a publish that the broker confirmed but no queue took, and only that one', async () => {
    const channel = await connection.model!.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const lost = toQueue(`no-such-queue-${randomUUID()}`);
    const [routed, unroutable, routedToo] = publisher.publish([toQueue(queue), lost, toQueue(queue)]);
    await expect(routed).resolves.toBeUndefined();
    await expect(unroutable).rejects.toThrow(`no queue took message ${lost.options.messageId}`);
    await expect(routedToo).resolves.toBeUndefined();
    expect((await channel.checkQueue(queue)).messageCount).toBe(2);
    await channel.close();
  });

  it('keeps many publishes in flight and confirms them all', async () => {
    const channel = await connection.model!.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const results = await Promise.allSettled(publisher.publish(Array.from({ length: 2000 }, () => toQueue(queue))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2000);
    expect((await channel.checkQueue(queue)).messageCount).toBe(2000);
    await channel.close();
  });
});
