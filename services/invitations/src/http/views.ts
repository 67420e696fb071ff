import { effectiveStatus, invitationState } from '../domain/invitation-rules.ts';
import type { InvitationDoc } from '../store/invitation-model.ts';
import type { EventProjectionDoc } from '../store/projection-models.ts';

/** An invitation as the API shows it (docs/invitations.md lists the fields). The token is never shown: only the email carries it. */
export function invitationView(inv: InvitationDoc, now: Date) {
  return {
    id: inv._id,
    event: inv.event_id,
    event_title: inv.event_title,
    email: inv.email,
    full_name: inv.full_name,
    invitee: inv.invitee_user_id,
    invited_by: inv.invited_by.user_id,
    invited_by_name: inv.invited_by.name,
    role: inv.role,
    message: inv.message,
    status: effectiveStatus(inv, now),
    reservation: inv.reservation,
    is_vip: inv.is_vip,
    bypass_capacity: inv.bypass_capacity,
    expires_at: inv.expires_at.toISOString(),
    responded_at: inv.responded_at?.toISOString() ?? null,
    resend_count: inv.resend_count,
    created_at: inv.created_at.toISOString(),
  };
}
export type InvitationView = ReturnType<typeof invitationView>;

/**
 * The verify answer of the attendee-invitation API (`token, event_name, event_description, invited_by, message, expires_at,
 * can_accept, is_expired`), plus what the invitation page shows: the event's times and the zone to show them in,
 * place, host (by name only), and the state in one word. Instants stay ISO 8601 UTC.
 */
export function verifyView(token: string, inv: InvitationDoc, event: EventProjectionDoc | null, now: Date) {
  const status = effectiveStatus(inv, now);
  const eventOpen = event?.is_active ?? true;
  return {
    token,
    event_id: inv.event_id,
    event_name: event?.title ?? inv.event_title,
    event_description: event?.description ?? '',
    event_start_time: (event?.start_time ?? inv.event_start_time).toISOString(),
    event_end_time: event?.end_time?.toISOString() ?? null,
    event_timezone: event?.timezone ?? 'UTC',
    event_location: event?.location ?? '',
    host_name: event?.host_name || null,
    invited_by: inv.invited_by.name,
    email: inv.email,
    full_name: inv.full_name,
    role: inv.role,
    message: inv.message,
    expires_at: inv.expires_at.toISOString(),
    status,
    state: invitationState(status, inv.reservation, eventOpen),
    reservation: inv.reservation,
    responded_at: inv.responded_at?.toISOString() ?? null,
    can_accept: status === 'pending' && eventOpen,
    is_expired: status === 'expired',
  };
}
