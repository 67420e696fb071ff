import { canManage } from '../domain/permissions.ts';
import { eventNotFound, notManager } from '../errors.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';
import type { Actor, FlowContext } from './context.ts';

/** The event whose invitations `actor` wants to manage: 404 when there is none, 403 unless host or co-host. */
export async function findManagedEvent(ctx: FlowContext, eventId: string, actor: Actor): Promise<EventProjectionDoc> {
  const event = await ctx.events.find(eventId);
  if (!event) throw eventNotFound();
  if (!canManage(event, actor)) throw notManager();
  return event;
}
