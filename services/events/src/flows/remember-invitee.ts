import { recordInvitee } from '../store/invitee-queries.ts';
import type { FlowContext } from './context.ts';

/** invitation.sent (and accepted): the invitee may read the invite-only event. Idempotent upsert. */
export async function rememberInvitee(
  ctx: FlowContext,
  data: { invitation_id: string; event_id: string; invitee: { user_id: string | null; email: string } },
): Promise<void> {
  await recordInvitee(ctx.store, data, ctx.now());
}
