import type { DomainEvent, EventName } from '@convene/contracts';
import type { Connection } from 'mongoose';
import { PermanentError } from '../errors.ts';
import type { Handler, HandlerContext, HandlerEntry, Handlers } from '../handlers.ts';
import { once } from './once.ts';

/** How a subscription keeps its handlers idempotent and who hears of a handled message. */
export interface SubscribeOptions {
  /**
   * The database the `processed_messages` markers live in. Given, every handler runs at most once
   * in effect per marker `<service>:<purpose>:<event type>:<key>`; a duplicate while one runs is
   * AlreadyProcessingError (retried), a crashed holder is taken over after `leaseMs`.
   */
  markers?: Connection;
  /** The lease clock (tests move it). Default `() => new Date()`. */
  now?: () => Date;
  /** How long a 'processing' marker holds off other deliveries. Default 30000 (see `once`). */
  leaseMs?: number;
  /** Called after a handler ran and returned (not for a duplicate it skipped), e.g. to nudge an outbox. */
  onHandled?: (event: DomainEvent) => void;
}

/** A handler as the delivery loop calls it: markers, if any, already kept. */
export type DeliveryHandler = (event: DomainEvent, ctx: HandlerContext) => Promise<void>;

/** The marker id of one handled message (`processed_messages._id`). */
export function markerId(service: string, purpose: string, type: EventName, key: string): string {
  return `${service}:${purpose}:${type}:${key}`;
}

/**
 * Turns a catalogue (plain handlers and `{ handle, key?, markers? }`) into the handlers the
 * delivery loop runs, wrapped in `once` when the subscription keeps markers.
 */
export function keepMarkers(
  service: string,
  purpose: string,
  handlers: Handlers,
  { markers, now, leaseMs, onHandled }: SubscribeOptions = {},
): Record<string, DeliveryHandler> {
  const resolved: Record<string, DeliveryHandler> = {};
  for (const [type, entry] of Object.entries(handlers) as Array<[EventName, HandlerEntry<EventName> | undefined]>) {
    if (!entry) continue;
    const { handle, key, markers: keep = true } = typeof entry === 'function' ? { handle: entry } : entry;
    if (typeof handle !== 'function') throw new TypeError(`subscribe: the handler for ${type} is not a function`);
    if (key && !markers) {
      throw new TypeError(`subscribe: ${type} declares an idempotency key but the subscription keeps no markers`);
    }
    const run = handle as Handler<EventName>;
    const consumer = `${service}:${purpose}:${type}`;
    resolved[type] =
      markers && keep
        ? async (event, ctx) => {
            const id = key ? key(event) : event.id;
            if (!id) throw new PermanentError(`empty idempotency key for ${type}`, { code: 'EMPTY_IDEMPOTENCY_KEY' });
            const ran = await once(markers, consumer, id, () => Promise.resolve(run(event, ctx)), {
              ...(leaseMs === undefined ? {} : { leaseMs }),
              ...(now ? { now } : {}),
            });
            if (ran) onHandled?.(event);
            else ctx.logger.debug({ queue: ctx.queue, marker: `${consumer}:${id}` }, 'duplicate message skipped');
          }
        : async (event, ctx) => {
            await run(event, ctx);
            onHandled?.(event);
          };
  }
  return resolved;
}
