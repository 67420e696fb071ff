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

/** A service's subscriptions for one queue: routing key → handler of that event's parsed envelope. */
export type Handlers = { readonly [N in EventName]?: Handler<N> };

/** Rejects keys that are not event names even when the catalogue is not an object literal. */
export type OnlyEventNames<H> = H & { readonly [K in Exclude<keyof H, EventName>]: never };
