import type { EventSnapshot } from '@convene/contracts';
import { eventNotFound } from '../errors.ts';
import { eventSnapshot } from '../store/announcements.ts';
import { findEvent } from '../store/event-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * GET /internal/events/:id — for a service whose projection missed (a message still in flight):
 * the event in the shape of the domain events, with its version, so it can be stored as if the
 * message had arrived.
 */
export async function readEventForAService(
  ctx: FlowContext,
  eventId: string,
): Promise<{ event: EventSnapshot; version: number }> {
  const event = await findEvent(ctx.store, eventId);
  if (!event) throw eventNotFound();
  return { event: eventSnapshot(event, ctx.store.defaultTimeZone), version: event.version };
}
