import type { EventSnapshot } from '@convene/contracts';
import { emailKey } from '@convene/domain-kit';
import { projectEvent } from '../store/event-projections.ts';
import { markCohostMade } from '../store/invitation-changes.ts';
import { cohostInvitationsAwaitingEvent } from '../store/invitation-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * event.created | updated: the projection follows (titles, times, hosts, co-hosts, visibility).
 * A co-host list that now holds an accepted co-host invitation's invitee shows on the invitation
 * as done (`reservation: confirmed`): events made them a co-host.
 */
export async function followEventChange(
  ctx: FlowContext,
  snapshot: EventSnapshot,
  { at, changed }: { at: Date; changed?: string[] },
): Promise<void> {
  await projectEvent(ctx.store, snapshot, { asOf: at, deleted: false });
  if (changed && !changed.includes('cohosts')) return;
  const waiting = await cohostInvitationsAwaitingEvent(ctx.store, snapshot.event_id);
  for (const inv of waiting) {
    const key = inv.invitee_user_id ?? emailKey(inv.email);
    if (!snapshot.cohost_ids.includes(key) && !snapshot.cohost_ids.includes(emailKey(inv.email))) continue;
    await markCohostMade(ctx.store, inv._id, at, ctx.now());
  }
}
