import type { Causes } from '@convene/domain-kit';
import { effectiveStatus } from '../domain/invitation-rules.ts';
import { announce } from '../store/announcements.ts';
import { eventFactsFor } from '../store/event-projections.ts';
import { expiredState, markExpired } from '../store/expiry.ts';
import { findInvitation } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * An overdue pending invitation becomes expired, announcing invitation.expired once: the sweeper
 * and a send that meets one both come here, and of two replicas trying, one wins.
 */
export async function expireInvitation(ctx: FlowContext, id: string, causes: Causes = {}): Promise<boolean> {
  const now = ctx.now();
  const inv = await findInvitation(ctx.store, id);
  if (inv?.status !== 'pending' || effectiveStatus(inv, now) !== 'expired') return false;
  const event = await eventFactsFor(ctx.store, inv.event_id);
  const message = announce.expired({ ...inv, ...expiredState(id, now) }, event, now, causes);
  return markExpired(ctx.store, id, now, message);
}
