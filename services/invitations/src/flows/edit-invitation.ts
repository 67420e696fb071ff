import { validationError } from '@convene/kit';
import { roleFrom } from '../domain/invitation-rules.ts';
import { notPending } from '../errors.ts';
import { editPending } from '../store/invitation-changes.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import type { Actor, FlowContext } from './context.ts';
import { findInvitationToManage } from './find-invitation-to-manage.ts';

export interface InvitationChanges {
  full_name?: string | undefined;
  message?: string | undefined;
  role?: string | undefined;
  is_vip?: boolean | undefined;
  bypass_capacity?: boolean | undefined;
}

/** PATCH: a host or co-host edits a pending invitation's name, message, role or VIP flags; an answered one is 400. */
export async function editInvitation(
  ctx: FlowContext,
  input: { ref: string; eventId: string; actor: Actor; changes: InvitationChanges },
): Promise<InvitationDoc> {
  const { inv } = await findInvitationToManage(ctx, input);
  const { changes } = input;
  const role = changes.role === undefined ? undefined : roleFrom(changes.role);
  if (changes.role !== undefined && !role)
    throw validationError({ role: [`"${changes.role}" is not a valid choice.`] });
  const now = ctx.now();
  const set = {
    ...(changes.full_name !== undefined ? { full_name: changes.full_name.trim() } : {}),
    ...(changes.message !== undefined ? { message: changes.message } : {}),
    ...(role ? { role } : {}),
    ...(changes.is_vip !== undefined ? { is_vip: changes.is_vip } : {}),
    ...(changes.bypass_capacity !== undefined ? { bypass_capacity: changes.bypass_capacity } : {}),
    updated_at: now,
  };
  if (!(await editPending(ctx.store, inv._id, set))) throw notPending(inv.status);
  return { ...inv, ...set };
}
