import type { ConfirmChannel, Options } from 'amqplib';

/** One publish on a confirm channel, resolved only when confirmed *and* routed to a queue. */
export function publishConfirmed(
  channel: ConfirmChannel,
  wasReturned: (messageId: string) => boolean,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish & { messageId: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, content, { ...options, mandatory: true }, (err) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (wasReturned(options.messageId))
          reject(new Error(`no queue took the message (routing key ${routingKey})`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
