import { type DomainEvent, parseEnvelope } from '@convene/contracts';
import { BrokerConnection } from './connection.ts';
import { PublishError, type PublishFailure } from './errors.ts';
import type { Handlers, OnlyEventNames } from './handlers.ts';
import { keepMarkers, type SubscribeOptions } from './idempotency/keep-markers.ts';
import { type Names, namesFor } from './names.ts';
import { type BusOptions, type ResolvedBusOptions, resolveBusOptions } from './options.ts';
import { ConfirmPublisher, type OutgoingMessage } from './publisher.ts';
import { Subscription } from './subscription.ts';
import { declareEventExchange } from './topology.ts';
import { publishParent, publishSpan, traceHeaders } from './tracing.ts';

/** The service's way onto RabbitMQ: confirmed publishing and retrying, dead-lettering consumers. */
export class Bus {
  readonly names: Names;
  readonly #options: ResolvedBusOptions;
  readonly #connection: BrokerConnection;
  readonly #publisher: ConfirmPublisher;
  readonly #subscriptions = new Set<Subscription>();
  #closed = false;

  private constructor(options: ResolvedBusOptions, names: Names, connection: BrokerConnection) {
    this.#options = options;
    this.names = names;
    this.#connection = connection;
    this.#publisher = new ConfirmPublisher(connection, {
      logger: options.logger,
      timeoutMs: options.publishTimeoutMs,
      prepare: (channel) => declareEventExchange(channel, names),
    });
  }

  /** Resolves once connected with the exchange declared; from then on it reconnects forever. */
  static async connect(input: BusOptions): Promise<Bus> {
    const options = resolveBusOptions(input);
    const names = namesFor(options.namespace, options.service);
    const connection = await BrokerConnection.open({
      url: options.url,
      name: `${options.namespace}${options.service}`,
      logger: options.logger,
      reconnect: options.reconnect,
      setup: async (model) => {
        const channel = await model.createChannel();
        try {
          await declareEventExchange(channel, names);
        } finally {
          await channel.close().catch(() => {});
        }
      },
    });
    const bus = new Bus(options, names, connection);
    await bus.#publisher.start();
    return bus;
  }

  /** The underlying connection, for health details and tests. */
  get connection(): BrokerConnection {
    return this.#connection;
  }

  /** Connected, topology declared and able to publish. */
  isReady(): boolean {
    return !this.#closed && this.#connection.isOpen() && this.#publisher.isReady();
  }

  /**
   * Validates every envelope (throwing EnvelopeError before anything is sent), writes them all in
   * order, and resolves when every one is confirmed and routed. Rejects with PublishError naming
   * the ones that were and were not confirmed.
   */
  async publish(envelopes: readonly DomainEvent[]): Promise<void> {
    if (this.#closed) throw new Error('bus closed');
    const valid = envelopes.map((e) => parseEnvelope(e));
    const exchange = this.names.exchange;
    const confirmations = valid.map((envelope) => {
      const content = Buffer.from(JSON.stringify(envelope));
      const facts = {
        destination: exchange,
        routingKey: envelope.type,
        messageId: envelope.id,
        bodySize: content.length,
        correlationId: envelope.correlationid,
      };
      return publishSpan(facts, publishParent(envelope), () => {
        const message: OutgoingMessage = {
          exchange,
          routingKey: envelope.type,
          content,
          options: {
            persistent: true,
            mandatory: true,
            messageId: envelope.id,
            type: envelope.type,
            contentType: 'application/json',
            appId: envelope.source,
            timestamp: Math.floor(Date.parse(envelope.time) / 1000),
            headers: traceHeaders(),
            ...(envelope.correlationid ? { correlationId: envelope.correlationid } : {}),
          },
        };
        const [confirmed] = this.#publisher.publish([message]);
        return confirmed!;
      });
    });
    const results = await Promise.allSettled(confirmations);
    const confirmedIds: string[] = [];
    const failures: PublishFailure[] = [];
    results.forEach((result, i) => {
      const id = valid[i]!.id;
      if (result.status === 'fulfilled') confirmedIds.push(id);
      else failures.push({ id, error: toError(result.reason) });
    });
    if (failures.length > 0) throw new PublishError(confirmedIds, failures);
  }

  /**
   * Consumes queue `<ns><service>.<purpose>`, bound to the catalogue's routing keys. The payload
   * is parsed with the contracts before a handler sees it. With `options.markers` the bus keeps
   * every handler idempotent itself (marker `<service>:<purpose>:<event type>:<key>`, key = the
   * envelope id unless the handler declares one).
   */
  async subscribe<const H extends Handlers>(
    purpose: string,
    handlers: OnlyEventNames<H>,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.#closed) throw new Error('bus closed');
    if (Object.keys(handlers).length === 0) throw new TypeError('subscribe: no handlers given');
    const { service, prefetch, retryDelaysMs, deliveryLimit, logger, observeDeliveries } = this.#options;
    const subscription = new Subscription({
      connection: this.#connection,
      names: this.names,
      queue: this.names.queue(purpose),
      handlers: keepMarkers(service, purpose, handlers, options),
      prefetch,
      retryDelaysMs,
      deliveryLimit,
      logger,
      observe: observeDeliveries,
    });
    try {
      await subscription.start();
    } catch (err) {
      await subscription.cancel();
      throw err;
    }
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Stops consuming, waits for in-flight handlers (at most `timeoutMs`, default no limit) and
   * pending confirms, then closes the connection. Unacked messages go back to their queues.
   */
  async close({ timeoutMs }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.cancel(timeoutMs === undefined ? {} : { timeoutMs })));
    await this.#publisher.close();
    await this.#connection.close();
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
