import { randomUUID } from 'node:crypto';
import { type DomainEvent, envelope } from '@convene/contracts';

export interface Invitee {
  user_id: string | null;
  email: string;
  name: string;
}

/** An invitation.accepted as the invitations service would publish it. */
export function invitationAccepted(
  event: { id: string; title?: string; start_time: string },
  invitee: Invitee,
  opts: {
    vip?: boolean;
    role?: 'attendee' | 'cohost';
    invitationId?: string;
    host?: Invitee & { user_id: string };
  } = {},
): DomainEvent<'invitation.accepted'> {
  const invitationId = opts.invitationId ?? `inv-${randomUUID()}`;
  return envelope({
    type: 'invitation.accepted',
    source: 'invitations',
    subject: invitationId,
    data: {
      invitation_id: invitationId,
      event_id: event.id,
      event_title: event.title ?? 'Event',
      event_start_time: event.start_time,
      invitee,
      invited_by: opts.host ?? { user_id: 'host', email: 'host@example.com', name: 'Host' },
      role: opts.role ?? 'attendee',
      is_vip: opts.vip ?? false,
      bypass_capacity: opts.vip ?? false,
      phone: null,
      accepted_at: new Date().toISOString(),
    },
  });
}

export function invitationCancelled(
  accepted: DomainEvent<'invitation.accepted'>,
  wasAccepted = true,
): DomainEvent<'invitation.cancelled'> {
  const { phone: _phone, accepted_at: _at, ...facts } = accepted.data;
  return envelope({
    type: 'invitation.cancelled',
    source: 'invitations',
    subject: accepted.subject,
    data: {
      ...facts,
      cancelled_by: facts.invited_by.user_id,
      cancelled_at: new Date().toISOString(),
      was_accepted: wasAccepted,
    },
  });
}

export function invitationSent(
  event: { id: string; start_time: string },
  invitee: Invitee,
): DomainEvent<'invitation.sent'> {
  const invitationId = `inv-${randomUUID()}`;
  return envelope({
    type: 'invitation.sent',
    source: 'invitations',
    subject: invitationId,
    data: {
      invitation_id: invitationId,
      event_id: event.id,
      event_title: 'Event',
      event_start_time: event.start_time,
      invitee,
      invited_by: { user_id: 'host', email: 'host@example.com', name: 'Host' },
      role: 'attendee',
      is_vip: false,
      bypass_capacity: false,
      message: '',
      invite_url: 'https://convene.test/invite/x',
      expires_at: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
  });
}
