import { validationError } from '@convene/kit';
import { statusFilterFrom } from '../domain/invitation-rules.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import { listForEvent } from '../store/invitation-queries.ts';
import type { Actor, FlowContext } from './context.ts';
import { findManagedEvent } from './find-managed-event.ts';

/** A page of an event's invitations, newest first, optionally of one status (hosts and co-hosts). */
export async function listInvitationsOfEvent(
  ctx: FlowContext,
  input: { eventId: string; actor: Actor; status?: string | undefined; skip: number; limit: number },
): Promise<{ count: number; results: InvitationDoc[] }> {
  await findManagedEvent(ctx, input.eventId, input.actor);
  const status = input.status ? statusFilterFrom(input.status) : undefined;
  if (input.status && !status) throw validationError({ status: [`"${input.status}" is not a valid status.`] });
  return listForEvent(ctx.store, input.eventId, {
    ...(status ? { status } : {}),
    skip: input.skip,
    limit: input.limit,
  });
}
