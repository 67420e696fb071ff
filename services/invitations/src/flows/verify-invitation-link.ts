import type { InvitationDoc } from '../store/invitation-model.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';
import type { FlowContext } from './context.ts';
import { findInvitationByToken } from './find-invitation-by-token.ts';

/**
 * What the link invites to: the invitation its token opens (an unknown token counts against the
 * client) and the event as known now — null when events cannot say, the page then shows what the
 * invitation recorded when it was sent.
 */
export async function verifyInvitationLink(
  ctx: FlowContext,
  input: { token: string; client: string },
): Promise<{ inv: InvitationDoc; event: EventProjectionDoc | null }> {
  const inv = await findInvitationByToken(ctx, input.token, input.client);
  const event = await ctx.events.find(inv.event_id).catch(() => null);
  return { inv, event };
}
