import { hashToken, looksLikeToken } from '../domain/tokens.ts';
import { invitationNotFound } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { findByTokenHash, findInvitation } from '../store/invitation-queries.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';
import type { Actor, FlowContext } from './context.ts';
import { findManagedEvent } from './find-managed-event.ts';

/**
 * An invitation its event's host or co-host manages. `ref` is the invitation id, or the link's
 * token (the compatibility aliases under /api/invites/{token} name it either way); `eventId` when
 * the path names the event (an invitation of another event is 404 there).
 */
export async function findInvitationToManage(
  ctx: FlowContext,
  { ref, eventId, actor }: { ref: string; eventId?: string; actor: Actor },
): Promise<{ inv: InvitationDoc; event: EventProjectionDoc }> {
  if (eventId) await findManagedEvent(ctx, eventId, actor);
  const inv =
    (await findInvitation(ctx.store, ref)) ??
    (looksLikeToken(ref) ? await findByTokenHash(ctx.store, hashToken(ref)) : null);
  if (!inv || (eventId && inv.event_id !== eventId)) throw invitationNotFound();
  const event = await findManagedEvent(ctx, inv.event_id, actor);
  return { inv, event };
}
