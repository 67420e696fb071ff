import { forbidden } from '@convene/kit';
import { canManage, canRead, type EventRole, roleOf } from '../domain/event-rules.ts';
import { viewerKeys } from '../domain/identity.ts';
import { eventNotFound } from '../errors.ts';
import type { EventDoc } from '../store/event-model.ts';
import { findEvent } from '../store/event-queries.ts';
import { isInvitee, isParticipant } from '../store/registration-queries.ts';
import type { Actor, FlowContext } from './context.ts';

/** A user's role for one event: the host, a co-host, or nobody special. */
export function roleIn(event: EventDoc, user: Pick<Actor, 'id' | 'email'> | undefined): EventRole {
  if (!user) return null;
  const byId = roleOf(event, user.id);
  if (byId) return byId;
  return viewerKeys(user).some((key) => event.cohost_ids.includes(key)) ? 'cohost' : null;
}

/**
 * The event if `user` may read it. Invite-only events the caller may not see answer 404, exactly
 * like events that do not exist, so their existence does not leak.
 */
export async function findReadableEvent(
  ctx: FlowContext,
  id: string,
  user: Pick<Actor, 'id' | 'email'> | undefined,
): Promise<{ event: EventDoc; role: EventRole }> {
  const event = await findEvent(ctx.store, id);
  if (!event) throw eventNotFound();
  const role = roleIn(event, user);
  if (event.visibility === 'invite_only' && !role) {
    const allowed =
      !!user &&
      canRead(event, {
        userId: user.id,
        isParticipant: await isParticipant(ctx.store, event._id, viewerKeys(user)),
        isInvitee: await isInvitee(ctx.store, event._id, user),
      });
    if (!allowed) throw eventNotFound();
  }
  return { event, role };
}

/** The event if `user` may change it: host or co-host (`hostOnly`: the host). 403/404. */
export async function findManagedEvent(
  ctx: FlowContext,
  id: string,
  user: Pick<Actor, 'id' | 'email'>,
  { hostOnly = false, message }: { hostOnly?: boolean; message?: string } = {},
): Promise<{ event: EventDoc; role: EventRole }> {
  const { event, role } = await findReadableEvent(ctx, id, user);
  const allowed = hostOnly ? role === 'host' : canManage(event, user.id) || role !== null;
  if (!allowed) throw forbidden(message);
  return { event, role };
}
