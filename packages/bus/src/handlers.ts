import type { DomainEvent, EventName } from '@convene/contracts';
import type { Logger } from './logger.ts';

export interface HandlerContext {
  /** 1 on the first try, 2 after the first retry, ... */
  attempt: number;
  /** The broker delivered this message before (a consumer died or its channel closed before acking). */
  redelivered: boolean;
  logger: Logger;
  queue: string;
}

export type Handler<N extends EventName> = (event: DomainEvent<N>, ctx: HandlerContext) => Promise<void> | void;

/**
 * A handler with its idempotency declared. With markers on the subscription the bus runs `handle`
 * at most once in effect per key: `key(event)` (default: the envelope id), or no marker at all
 * with `markers: false` (the handler deduplicates by itself).
 */
export interface KeyedHandler<N extends EventName> {
  handle: Handler<N>;
  /** What makes two deliveries the same work for this handler, e.g. `(e) => e.data.invitation_id`. */
  key?: (event: DomainEvent<N>) => string;
  /** false: the bus keeps no marker for this handler. Default true when the subscription has markers. */
  markers?: boolean;
}

/** A plain handler, or one that declares its idempotency key. */
export type HandlerEntry<N extends EventName> = Handler<N> | KeyedHandler<N>;

/** A service's subscriptions for one queue: routing key → handler of that event's parsed envelope. */
export type Handlers = { readonly [N in EventName]?: HandlerEntry<N> };

/** Rejects keys that are not event names even when the catalogue is not an object literal. */
export type OnlyEventNames<H> = H & { readonly [K in Exclude<keyof H, EventName>]: never };
