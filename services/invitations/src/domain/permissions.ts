import { emailKey } from './emails.ts';

export interface EventAccess {
  host_id: string | null;
  cohost_ids: string[];
}

/** Hosts and co-hosts manage an event's invitations (co-hosts may be keyed by email until they sign up). */
export function canManage(event: EventAccess, user: { id: string; email: string }): boolean {
  if (event.host_id === user.id) return true;
  return event.cohost_ids.includes(user.id) || (!!user.email && event.cohost_ids.includes(emailKey(user.email)));
}
