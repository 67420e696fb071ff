import { emailKey, normaliseEmail } from '@convene/domain-kit';

export interface EventAccess {
  host_id: string | null;
  cohost_ids: string[];
}

/** Hosts and co-hosts manage an event's invitations (co-hosts may be keyed by email until they sign up). */
export function canManage(event: EventAccess, user: { id: string; email: string }): boolean {
  if (event.host_id === user.id) return true;
  return event.cohost_ids.includes(user.id) || (!!user.email && event.cohost_ids.includes(emailKey(user.email)));
}

/** Whether the invitation is addressed to this user: by their id, or by their account's email. */
export function isAddressedTo(
  inv: { invitee_user_id: string | null; email: string },
  user: { id: string; email: string },
): boolean {
  return inv.invitee_user_id === user.id || (!!user.email && inv.email === normaliseEmail(user.email));
}
