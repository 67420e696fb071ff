import { eventually } from '@convene/testing';
import { type Channel, type ChannelModel, connect, type GetMessage } from 'amqplib';

/** A plain amqplib connection for looking at queues from the outside. */
export async function rawChannel(url: string): Promise<{ connection: ChannelModel; channel: Channel }> {
  const connection = await connect(url);
  const channel = await connection.createChannel();
  return { connection, channel };
}

/** Takes (and acks) every message that reaches `queue` until `count` arrived. */
export async function takeMessages(channel: Channel, queue: string, count: number, timeoutMs = 10_000) {
  const taken: GetMessage[] = [];
  await eventually(
    async () => {
      const message = await channel.get(queue, { noAck: true });
      if (message) taken.push(message);
      return taken.length >= count;
    },
    { timeoutMs, intervalMs: 20, what: `${count} messages in ${queue}` },
  );
  return taken;
}

export function headerText(message: GetMessage, name: string): string | undefined {
  const value = message.properties.headers?.[name];
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
