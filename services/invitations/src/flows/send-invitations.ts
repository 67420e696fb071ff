import { type Causes, isEmail, normaliseEmail } from '@convene/domain-kit';
import { eventClosed } from '../errors.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import type { Actor, FlowContext } from './context.ts';
import { createInvitations, type SendOptions, type Skipped, skipped, type Target } from './create-invitations.ts';
import { findManagedEvent } from './find-managed-event.ts';

/**
 * POST /api/events/{id}/invitations (and its compatibility aliases POST /api/invites and POST
 * /api/events/{id}/invite, see docs/api.md): invitations for emails and registered users, each
 * with its own random token (only its hash and a sealed copy are stored) and its invitation.sent
 * in the same insert. What is skipped says why.
 */
export async function sendInvitations(
  ctx: FlowContext,
  input: { eventId: string; actor: Actor; emails: string[]; userIds: string[]; fullName?: string } & SendOptions,
  causes: Causes = {},
): Promise<{ created: InvitationDoc[]; skipped: Skipped[] }> {
  const event = await findManagedEvent(ctx, input.eventId, input.actor);
  if (!event.is_active) throw eventClosed();
  const skips: Skipped[] = [];
  const targets: Target[] = [];
  for (const raw of input.emails) {
    const email = normaliseEmail(raw);
    if (!isEmail(email)) skips.push(skipped('invalid_email', raw));
    else targets.push({ email, ...(input.fullName ? { full_name: input.fullName } : {}) });
  }
  for (const userId of input.userIds) {
    const user = await ctx.users.find(userId);
    if (!user) skips.push(skipped('unknown_user', null, userId));
    else targets.push({ email: normaliseEmail(user.email), full_name: user.name, user_id: user.user_id });
  }
  const result = await createInvitations(ctx, event, input.actor, targets, input, causes);
  return { created: result.created, skipped: [...skips, ...result.skipped] };
}
