import type { DeliveryObserver } from './delivery-observer.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';

export interface BusOptions {
  /** AMQP_URL; a `heartbeat` query parameter overrides the default of 10 s. */
  url: string;
  /** 'events', 'notifier', ... — names the queues and the DLQ. */
  service: string;
  /** Prefix for exchange and queue names (tests isolate with it). Default ''. */
  namespace?: string;
  logger?: Logger;
  /** Unacked deliveries per subscription. Default 32. */
  prefetch?: number;
  /** Wait before attempt 2, 3, ...; default [1000, 5000, 30000, 120000]. */
  retryDelaysMs?: number[];
  /** Quorum `x-delivery-limit`: deliveries without an ack (crashes) before the broker dead-letters. Default 10. */
  deliveryLimit?: number;
  /** A publish not confirmed within this time (e.g. the broker stays away) fails. Default 30000. */
  publishTimeoutMs?: number;
  /** Reconnect backoff bounds. Default 250 ms doubling up to 15 s, with jitter. */
  reconnect?: { initialMs: number; maxMs: number };
  /** Told how every delivery of every subscription ended (a service's metrics); the bus keeps no counts. */
  observeDeliveries?: DeliveryObserver;
}

export type ResolvedBusOptions = Required<Omit<BusOptions, 'reconnect' | 'observeDeliveries'>> & {
  reconnect: { initialMs: number; maxMs: number };
  observeDeliveries: DeliveryObserver | undefined;
};

export function resolveBusOptions(options: BusOptions): ResolvedBusOptions {
  const resolved: ResolvedBusOptions = {
    url: options.url,
    service: options.service,
    namespace: options.namespace ?? '',
    logger: options.logger ?? silentLogger,
    prefetch: options.prefetch ?? 32,
    retryDelaysMs: options.retryDelaysMs ?? [1000, 5000, 30_000, 120_000],
    deliveryLimit: options.deliveryLimit ?? 10,
    publishTimeoutMs: options.publishTimeoutMs ?? 30_000,
    reconnect: options.reconnect ?? { initialMs: 250, maxMs: 15_000 },
    observeDeliveries: options.observeDeliveries,
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  if (!resolved.url) throw new TypeError('bus: url is required');
  if (!resolved.service) throw new TypeError('bus: service is required');
  if (!positiveInt(resolved.prefetch)) throw new TypeError('bus: prefetch must be a positive integer');
  if (!positiveInt(resolved.publishTimeoutMs)) throw new TypeError('bus: publishTimeoutMs must be a positive integer');
  if (!positiveInt(resolved.deliveryLimit)) throw new TypeError('bus: deliveryLimit must be a positive integer');
  if (!resolved.retryDelaysMs.every(positiveInt)) throw new TypeError('bus: retryDelaysMs must be positive integers');
  return resolved;
}
