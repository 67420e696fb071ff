import type { InvitationCancelled } from '@convene/contracts';
import { type Causes, personKey } from '@convene/domain-kit';
import { exitTransition, isActive } from '../domain/registration-states.ts';
import { RegistrationBusy } from '../errors.ts';
import { markInvitationWithdrawn } from '../store/invitee-queries.ts';
import { registrationOfInvitation } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';
import { removeCohost } from './remove-cohost.ts';

/**
 * invitation.cancelled → the seat (or place in line) the invitation produced is given back
 * (reason invitation_cancelled; the next in line is promoted from the registration.cancelled this
 * announces), a co-host invitation's co-host removed, and the invitee marked withdrawn (a late
 * invitation.accepted for it is ignored). Idempotent: a registration already cancelled is left alone.
 */
export async function releaseSeatForCancelledInvitation(
  ctx: FlowContext,
  data: InvitationCancelled,
  causes?: Causes,
): Promise<'released' | 'cohost_removed' | 'nothing'> {
  await markInvitationWithdrawn(ctx.store, data, ctx.now());
  if (data.role === 'cohost') {
    if (!data.was_accepted) return 'nothing';
    const key = personKey(data.invitee);
    return (await removeCohost(ctx, { eventId: data.event_id, key }, causes)) ? 'cohost_removed' : 'nothing';
  }
  const reg = await registrationOfInvitation(ctx.store, data.event_id, data.invitation_id);
  if (!reg || !isActive(reg.status)) return 'nothing';
  if (reg.txn) throw new RegistrationBusy(`registration ${reg._id} is in flight`);
  const exit = exitTransition(reg.status, reg.bypassed)!;
  const result = await ctx.moves.perform({
    registrationId: reg._id,
    kind: exit.kind,
    reason: 'invitation_cancelled',
    extraFilter: { invitation_id: data.invitation_id },
    causes,
  });
  if (result.ok) return 'released';
  if (
    result.registration &&
    isActive(result.registration.status) &&
    result.registration.invitation_id === data.invitation_id
  ) {
    throw new RegistrationBusy(`registration ${reg._id} changed meanwhile`);
  }
  return 'nothing';
}
