import type { EventSnapshot } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import { projectEvent } from '../store/event-projections.ts';
import { cancelInvitationsOfClosedEvent } from './cancel-invitations-of-closed-event.ts';
import type { FlowContext } from './context.ts';

/** event.cancelled | deleted: the projection says so, and pending invitations are cancelled. */
export async function followEventClosed(
  ctx: FlowContext,
  snapshot: EventSnapshot,
  { at, deleted }: { at: Date; deleted: boolean },
  causes: Causes = {},
): Promise<number> {
  await projectEvent(ctx.store, { ...snapshot, is_active: false }, { asOf: at, deleted });
  return cancelInvitationsOfClosedEvent(
    ctx,
    { eventId: snapshot.event_id, by: snapshot.host.user_id ?? 'events' },
    causes,
  );
}
