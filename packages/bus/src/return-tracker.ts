import type { Channel } from 'amqplib';

/**
 * Remembers which messages the broker handed back as unroutable on one channel. A `mandatory`
 * publish that no queue takes is returned *and then confirmed*, so the confirm alone does not
 * mean delivery; the return always arrives before that confirm, so the confirm callback asks here.
 */
export function trackReturns(channel: Channel): (messageId: string) => boolean {
  const returned = new Map<string, number>();
  channel.on('return', (message) => {
    const id = message.properties.messageId;
    if (typeof id === 'string') returned.set(id, (returned.get(id) ?? 0) + 1);
  });
  return function wasReturned(messageId) {
    const count = returned.get(messageId);
    if (!count) return false;
    if (count === 1) returned.delete(messageId);
    else returned.set(messageId, count - 1);
    return true;
  };
}
