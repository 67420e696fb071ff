import { emailKey } from '@convene/domain-kit';

/** Who may read an event's feedback: anyone for public events, its hosts only for invite-only ones. */

export interface Reader {
  id: string;
  email: string;
}

export interface EventHosts {
  host_id: string | null;
  cohost_ids: string[];
  visibility: 'public' | 'invite_only';
}

export function isHost(event: EventHosts, reader: Reader | undefined): boolean {
  if (!reader) return false;
  if (event.host_id === reader.id) return true;
  return event.cohost_ids.includes(reader.id) || event.cohost_ids.includes(emailKey(reader.email));
}

export function mayReadFeedback(event: EventHosts, reader: Reader | undefined): boolean {
  return event.visibility === 'public' || isHost(event, reader);
}
