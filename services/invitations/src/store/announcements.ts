import { type DomainEvent, envelope, type InvitationFacts } from '@convene/contracts';
import { type Causes, causeFields } from '@convene/domain-kit';
import type { z } from 'zod';
import type { InvitationDoc } from './invitation-model.ts';
import type { EventFacts } from './projection-models.ts';

type Facts = z.infer<typeof InvitationFacts>;

/**
 * What every invitation.* message carries: enough for the notifier to write the email without
 * asking anyone. The event is named as the projection knows it now (a moved event's reminder shows
 * the new time, in the event's zone); only an event never heard of falls back to what the
 * invitation recorded when it was sent, in UTC and without an end.
 */
export function factsOf(inv: InvitationDoc, event: EventFacts | null): Facts {
  return {
    invitation_id: inv._id,
    event_id: inv.event_id,
    event_title: event?.title ?? inv.event_title,
    event_start_time: (event?.start_time ?? inv.event_start_time).toISOString(),
    ...(event?.end_time ? { event_end_time: event.end_time.toISOString() } : {}),
    event_timezone: event?.timezone ?? 'UTC',
    invitee: { user_id: inv.invitee_user_id, email: inv.email, name: inv.full_name },
    invited_by: { user_id: inv.invited_by.user_id, email: inv.invited_by.email, name: inv.invited_by.name },
    role: inv.role,
    is_vip: inv.is_vip,
    bypass_capacity: inv.bypass_capacity,
  };
}

const base = (inv: InvitationDoc, causes: Causes) => ({
  source: 'invitations',
  subject: inv._id,
  ...causeFields(causes),
});

/** The page's address; the notifier appends the token it opens from `sealed_token`. */
export function inviteUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/invite/`;
}

/** What the notifier needs to write an invitation email: the facts, the message and the sealed link. */
function linkFacts(inv: InvitationDoc, event: EventFacts | null, publicUrl: string) {
  return {
    ...factsOf(inv, event),
    message: inv.message,
    invite_url: inviteUrl(publicUrl),
    sealed_token: inv.token_sealed,
    expires_at: inv.expires_at.toISOString(),
  };
}

export const announce = {
  sent(
    inv: InvitationDoc,
    event: EventFacts | null,
    publicUrl: string,
    causes: Causes = {},
  ): DomainEvent<'invitation.sent'> {
    return envelope({
      type: 'invitation.sent',
      ...base(inv, causes),
      data: {
        ...linkFacts(inv, event, publicUrl),
      },
    });
  },
  resent(
    inv: InvitationDoc,
    event: EventFacts | null,
    publicUrl: string,
    causes: Causes = {},
  ): DomainEvent<'invitation.resent'> {
    return envelope({
      type: 'invitation.resent',
      ...base(inv, causes),
      data: {
        ...linkFacts(inv, event, publicUrl),
        resend_count: inv.resend_count,
      },
    });
  },
  reminderDue(
    inv: InvitationDoc,
    event: EventFacts | null,
    publicUrl: string,
    causes: Causes = {},
  ): DomainEvent<'invitation.reminder_due'> {
    return envelope({
      type: 'invitation.reminder_due',
      ...base(inv, causes),
      data: {
        ...linkFacts(inv, event, publicUrl),
      },
    });
  },
  accepted(
    inv: InvitationDoc,
    event: EventFacts | null,
    at: Date,
    causes: Causes = {},
  ): DomainEvent<'invitation.accepted'> {
    return envelope({
      type: 'invitation.accepted',
      ...base(inv, causes),
      data: { ...factsOf(inv, event), phone: inv.phone, accepted_at: at.toISOString() },
    });
  },
  declined(
    inv: InvitationDoc,
    event: EventFacts | null,
    at: Date,
    causes: Causes = {},
  ): DomainEvent<'invitation.declined'> {
    return envelope({
      type: 'invitation.declined',
      ...base(inv, causes),
      data: { ...factsOf(inv, event), declined_at: at.toISOString() },
    });
  },
  expired(
    inv: InvitationDoc,
    event: EventFacts | null,
    at: Date,
    causes: Causes = {},
  ): DomainEvent<'invitation.expired'> {
    return envelope({
      type: 'invitation.expired',
      ...base(inv, causes),
      data: { ...factsOf(inv, event), expired_at: at.toISOString() },
    });
  },
  cancelled(
    inv: InvitationDoc,
    event: EventFacts | null,
    by: string,
    at: Date,
    causes: Causes = {},
  ): DomainEvent<'invitation.cancelled'> {
    return envelope({
      type: 'invitation.cancelled',
      ...base(inv, causes),
      data: {
        ...factsOf(inv, event),
        cancelled_by: by,
        cancelled_at: at.toISOString(),
        was_accepted: inv.status === 'accepted',
      },
    });
  },
};
