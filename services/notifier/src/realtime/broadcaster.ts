import type { Bus } from '@convene/bus';
import type { Logger } from '@convene/kit';

type ChannelModel = NonNullable<Bus['connection']['model']>;
type Channel = Awaited<ReturnType<ChannelModel['createChannel']>>;

export interface Broadcaster {
  /** Tells every replica (this one included); best effort — the inbox is the record. */
  publish(payload: unknown): void;
  close(): Promise<void>;
}

/**
 * Real-time notices across replicas. A user's socket may be open on any replica, while the
 * replica that handled the event is any other: so each replica binds a queue of its own
 * (server-named, exclusive, deleted with its connection) to one fanout exchange
 * `<ns>notifier.notices`, and every notice is published there and delivered to each replica,
 * which hands it to its local sockets. The domain-event queues stay competing consumers; only
 * this one is per replica. Rides on the bus's own connection (and its reconnects): the bus has no
 * broadcast mode, and a notice lost while the broker is away is acceptable (the inbox has it).
 */
export async function startBroadcaster({
  bus,
  namespace,
  logger,
  deliver,
}: {
  bus: Bus;
  namespace: string;
  logger: Logger;
  deliver: (payload: unknown) => void;
}): Promise<Broadcaster> {
  const exchange = `${namespace}notifier.notices`;
  let channel: Channel | null = null;
  let closed = false;

  const open = async (model: ChannelModel) => {
    const ch = await model.createChannel();
    ch.on('error', (err: unknown) => logger.warn({ err }, 'notices channel error'));
    ch.on('close', () => {
      if (channel === ch) channel = null;
    });
    await ch.assertExchange(exchange, 'fanout', { durable: false, autoDelete: true });
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await ch.bindQueue(queue, exchange, '');
    await ch.consume(
      queue,
      (msg) => {
        if (!msg) return;
        try {
          deliver(JSON.parse(msg.content.toString('utf8')));
        } catch (err) {
          logger.warn({ err }, 'bad notice dropped');
        }
      },
      { noAck: true },
    );
    channel = ch;
  };

  const model = bus.connection.model;
  if (!model) throw new Error('the bus is not connected');
  await open(model);
  const unsubscribe = bus.connection.onConnect((fresh) => {
    if (closed) return;
    open(fresh).catch((err) => logger.warn({ err }, 'notices channel could not be reopened'));
  });

  return {
    publish(payload) {
      if (!channel) {
        logger.warn({}, 'notice not broadcast: no channel (broker away)');
        return;
      }
      channel.publish(exchange, '', Buffer.from(JSON.stringify(payload)), { contentType: 'application/json' });
    },
    async close() {
      closed = true;
      unsubscribe();
      const ch = channel;
      channel = null;
      await ch?.close().catch(() => {});
    },
  };
}
