import type { Channel } from 'amqplib';
import type { Names } from './names.ts';

/** Most unroutable messages kept for inspection; the oldest are dropped beyond this. */
export const UNROUTED_MAX_LENGTH = 10_000;

/**
 * Quorum queues dead-letter at-least-once only with `reject-publish` overflow; without it a
 * message expiring from a wait queue, or hitting the delivery limit, could be lost on the way.
 */
const AT_LEAST_ONCE_DEAD_LETTERING = { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' };

/**
 * The domain-event exchange and where unroutable messages go. Every service declares it with the
 * same arguments, so re-declaring is a no-op; different arguments would fail with
 * PRECONDITION_FAILED rather than silently change the broker.
 */
export async function declareEventExchange(channel: Channel, names: Names): Promise<void> {
  await channel.assertExchange(names.unrouted, 'fanout', { durable: true });
  await channel.assertQueue(names.unrouted, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum', 'x-max-length': UNROUTED_MAX_LENGTH, 'x-overflow': 'drop-head' },
  });
  await channel.bindQueue(names.unrouted, names.unrouted, '');
  await channel.assertExchange(names.exchange, 'topic', { durable: true, alternateExchange: names.unrouted });
}

export interface SubscriptionTopology {
  queue: string;
  routingKeys: readonly string[];
  retryDelaysMs: readonly number[];
  deliveryLimit: number;
}

/**
 * One quorum work queue bound to its routing keys; its crash-loop limit dead-letters into the
 * service DLQ. One wait queue per retry delay (a queue's TTL only expires at its head, so mixing
 * delays in one queue would hold short waits behind long ones); each dead-letters back into the
 * work queue through the default exchange.
 */
export async function declareSubscriptionQueues(
  channel: Channel,
  names: Names,
  { queue, routingKeys, retryDelaysMs, deliveryLimit }: SubscriptionTopology,
): Promise<void> {
  await channel.assertQueue(names.dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': names.dlq,
      ...AT_LEAST_ONCE_DEAD_LETTERING,
    },
  });
  for (const delayMs of new Set(retryDelaysMs)) {
    await channel.assertQueue(names.retryQueue(queue, delayMs), {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': delayMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queue,
        ...AT_LEAST_ONCE_DEAD_LETTERING,
      },
    });
  }
  for (const key of routingKeys) await channel.bindQueue(queue, names.exchange, key);
}
