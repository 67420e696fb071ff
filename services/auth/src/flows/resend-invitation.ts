import type { User } from '../domain/user.ts';
import { concurrentUpdate, userNotFound, userNotInvited } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { VersionedUser } from '../store/users.ts';
import type { FlowContext } from './context.ts';
import { issueInvitationLink } from './issue-invitation-link.ts';

/** A fresh link for an invited account; the previous link stops working in the same update. */
export async function resendInvitation(ctx: FlowContext, admin: User, userId: string): Promise<VersionedUser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const user = await ctx.users.byId(userId);
    if (!user) throw userNotFound();
    if (user.status !== 'invited') throw userNotInvited(user.status);
    const now = ctx.now();
    const { invitation, link } = issueInvitationLink(ctx, admin, (user.invitation?.send_count ?? 0) + 1, now);
    const event = announce.invited(
      { ...user, invitation },
      { invitedBy: admin, setPasswordUrl: link, expiresAt: invitation.expires_at, resend: true },
      now,
    );
    const saved = await ctx.users.change(user, {
      set: { invitation },
      ...(user.invitation ? { pastInvitation: { token_hash: user.invitation.token_hash, outcome: 'replaced' } } : {}),
      events: [event],
      now,
    });
    if (saved) return saved;
  }
  throw concurrentUpdate('user');
}
