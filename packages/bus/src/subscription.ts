import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { BrokerConnection } from './connection.ts';
import type { DeliveryObserver } from './delivery-observer.ts';
import { handleDelivery } from './handle-delivery.ts';
import type { DeliveryHandler } from './idempotency/keep-markers.ts';
import { errorFields, type Logger } from './logger.ts';
import type { Names } from './names.ts';
import { trackReturns } from './return-tracker.ts';
import { declareEventExchange, declareSubscriptionQueues } from './topology.ts';

export interface SubscriptionOptions {
  connection: BrokerConnection;
  names: Names;
  queue: string;
  /** Routing key → handler, markers already kept (see keepMarkers). */
  handlers: Readonly<Record<string, DeliveryHandler>>;
  prefetch: number;
  retryDelaysMs: readonly number[];
  deliveryLimit: number;
  logger: Logger;
  observe?: DeliveryObserver | undefined;
}

const REATTACH_DELAY_MS = 500;

/**
 * A consumer on one queue that outlives its channels: after a reconnect (or a channel the broker
 * closed) it declares its queues again and consumes again. Deliveries run concurrently up to
 * `prefetch`; each is tracked so `cancel()` can wait for it.
 */
export class Subscription {
  readonly queue: string;
  readonly #options: SubscriptionOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopListening: () => void;
  #channel: ConfirmChannel | null = null;
  #consumerTag: string | null = null;
  #attaching: Promise<void> | null = null;
  #cancelled = false;

  constructor(options: SubscriptionOptions) {
    this.#options = options;
    this.queue = options.queue;
    this.#stopListening = options.connection.onConnect((model) => {
      this.#attach(model).catch((err) => this.#attachFailed(model, err));
    });
  }

  /** Declares the queues and starts consuming; rejects if the broker refuses the topology. */
  async start(): Promise<void> {
    const model = this.#options.connection.model;
    if (!model) throw new Error('not connected to the broker');
    await this.#attach(model);
  }

  /** Messages being handled right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  isConsuming(): boolean {
    return this.#consumerTag !== null;
  }

  /**
   * Stops new deliveries, waits for the ones being handled (at most `timeoutMs`, default no
   * limit), then closes the channel; anything still unacked goes back to the queue.
   */
  async cancel({ timeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#stopListening();
    const channel = this.#channel;
    const tag = this.#consumerTag;
    this.#consumerTag = null;
    if (channel && tag) await channel.cancel(tag).catch(() => {});
    if (this.#inFlight.size > 0) {
      this.#options.logger.info({ queue: this.queue, inFlight: this.#inFlight.size }, 'waiting for handlers in flight');
    }
    await waitAtMost(Promise.allSettled([...this.#inFlight]), timeoutMs);
    this.#channel = null;
    await channel?.close().catch(() => {});
  }

  #attach(model: ChannelModel): Promise<void> {
    this.#attaching ??= this.#openAndConsume(model).finally(() => {
      this.#attaching = null;
    });
    return this.#attaching;
  }

  async #openAndConsume(model: ChannelModel): Promise<void> {
    if (this.#cancelled || this.#channel) return;
    const { names, queue, handlers, prefetch, retryDelaysMs, deliveryLimit, logger, observe } = this.#options;
    const channel = await model.createConfirmChannel();
    channel.on('error', (err) => logger.warn({ queue, ...errorFields(err) }, 'consumer channel error'));
    try {
      // The exchange too: after the broker cancelled us (queue deleted) the connection is still up,
      // so no reconnect setup re-declares it, and binding to a deleted exchange would fail forever.
      await declareEventExchange(channel, names);
      await declareSubscriptionQueues(channel, names, {
        queue,
        routingKeys: Object.keys(handlers),
        retryDelaysMs,
        deliveryLimit,
      });
      await channel.prefetch(prefetch);
      const wasReturned = trackReturns(channel);
      const scope = { channel, wasReturned, names, queue, handlers, retryDelaysMs, logger, observe };
      const onMessage = (message: ConsumeMessage | null) => {
        if (message === null) {
          // The broker cancelled us (queue deleted or similar): start over on a fresh channel.
          logger.warn({ queue }, 'consumer cancelled by the broker');
          void channel.close().catch(() => {});
          return;
        }
        const handled = handleDelivery(scope, message).catch((err) =>
          logger.error({ queue, ...errorFields(err) }, 'delivery handling failed'),
        );
        this.#inFlight.add(handled);
        void handled.finally(() => this.#inFlight.delete(handled));
      };
      if (this.#cancelled) throw new Error('subscription cancelled');
      this.#channel = channel;
      channel.on('close', () => this.#onChannelClosed(channel));
      const { consumerTag } = await channel.consume(queue, onMessage, { noAck: false });
      this.#consumerTag = consumerTag;
    } catch (err) {
      if (this.#channel === channel) this.#channel = null;
      await channel.close().catch(() => {});
      throw err;
    }
  }

  #onChannelClosed(channel: ConfirmChannel): void {
    if (this.#channel !== channel) return;
    this.#channel = null;
    this.#consumerTag = null;
    if (this.#cancelled) return;
    const model = this.#options.connection.model;
    if (!model) return; // the next 'connect' re-attaches
    setTimeout(() => {
      if (this.#options.connection.model === model) {
        this.#attach(model).catch((err) => this.#attachFailed(model, err));
      }
    }, REATTACH_DELAY_MS).unref();
  }

  #attachFailed(model: ChannelModel, err: unknown): void {
    this.#options.logger.error({ queue: this.queue, ...errorFields(err) }, 'could not resume consuming');
    if (this.#cancelled) return;
    setTimeout(() => {
      if (this.#options.connection.model === model) {
        this.#attach(model).catch((e) => this.#attachFailed(model, e));
      }
    }, REATTACH_DELAY_MS * 4).unref();
  }
}

function waitAtMost(promise: Promise<unknown>, timeoutMs: number | undefined): Promise<unknown> {
  if (timeoutMs === undefined) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
