import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import type { ConsumerDeps } from './deps.ts';
import { emailAttendeeWhenRegistrationCancelled } from './email-attendee-when-registration-cancelled.ts';
import { emailAttendeeWhenRegistrationConfirmed } from './email-attendee-when-registration-confirmed.ts';
import { emailAttendeeWhenRegistrationOffered } from './email-attendee-when-registration-offered.ts';
import { emailAttendeeWhenRegistrationWaitlisted } from './email-attendee-when-registration-waitlisted.ts';
import { emailHostWhenFeedbackSubmitted } from './email-host-when-feedback-submitted.ts';
import { emailHostWhenInvitationAccepted } from './email-host-when-invitation-accepted.ts';
import { emailHostWhenInvitationDeclined } from './email-host-when-invitation-declined.ts';
import { emailInviteeWhenInvitationReminderDue } from './email-invitee-when-invitation-reminder-due.ts';
import { emailInviteeWhenInvitationResent } from './email-invitee-when-invitation-resent.ts';
import { emailInviteeWhenInvitationSent } from './email-invitee-when-invitation-sent.ts';
import { emailParticipantsWhenEventCancelled } from './email-participants-when-event-cancelled.ts';
import { emailParticipantsWhenEventUpdated } from './email-participants-when-event-updated.ts';
import { rememberEventWhenCreated } from './remember-event-when-created.ts';
import { rememberEventWhenDeleted } from './remember-event-when-deleted.ts';
import { rememberUserWhenActivated } from './remember-user-when-activated.ts';
import { rememberUserWhenDeactivated } from './remember-user-when-deactivated.ts';
import { rememberUserWhenRegistered } from './remember-user-when-registered.ts';
import { rememberUserWhenUpdated } from './remember-user-when-updated.ts';
import { remindParticipantsWhenEventReminderDue } from './remind-participants-when-event-reminder-due.ts';
import { sendSetPasswordLinkWhenUserInvited } from './send-set-password-link-when-user-invited.ts';

/**
 * Every message the notifier consumes, in one place: queue → routing key → handler. Two queues:
 * projections (who people are, what events look like) and mail (what to send), so a burst of
 * invitations never waits behind a wave of profile updates and the other way round.
 *
 * The bus keeps the projections' markers (`notifier:projections:<event type>:<envelope id>`); the
 * projections are idempotent by themselves too (each write guarded by the message time, inbox
 * entries keyed), so a message handled twice changes nothing.
 *
 * The mail handlers keep no marker (`markers: false`). Everything a mail flow writes is keyed by
 * the message — deliveries `<envelope id>:<type>:<email>`, inbox entries `<envelope id>:<type>:<user>`,
 * projections guarded by the message time — and these writes are batched across the messages
 * handled at the same moment; so a redelivery, or the same message on two replicas at once, writes
 * nothing new and mails no one twice, and a burst pays no two marker writes per email.
 */
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps): Promise<Subscription[]> {
  return [
    await subscribe('projections', {
      'user.registered': rememberUserWhenRegistered(deps),
      'user.updated': rememberUserWhenUpdated(deps),
      'user.activated': rememberUserWhenActivated(deps),
      'user.deactivated': rememberUserWhenDeactivated(deps),
      'event.created': rememberEventWhenCreated(deps),
      'event.deleted': rememberEventWhenDeleted(deps),
    }),
    await subscribe('mail', {
      'user.invited': { handle: sendSetPasswordLinkWhenUserInvited(deps), markers: false },
      'event.updated': { handle: emailParticipantsWhenEventUpdated(deps), markers: false },
      'event.cancelled': { handle: emailParticipantsWhenEventCancelled(deps), markers: false },
      'event.reminder_due': { handle: remindParticipantsWhenEventReminderDue(deps), markers: false },
      'registration.confirmed': { handle: emailAttendeeWhenRegistrationConfirmed(deps), markers: false },
      'registration.waitlisted': { handle: emailAttendeeWhenRegistrationWaitlisted(deps), markers: false },
      'registration.offered': { handle: emailAttendeeWhenRegistrationOffered(deps), markers: false },
      'registration.cancelled': { handle: emailAttendeeWhenRegistrationCancelled(deps), markers: false },
      'invitation.sent': { handle: emailInviteeWhenInvitationSent(deps), markers: false },
      'invitation.resent': { handle: emailInviteeWhenInvitationResent(deps), markers: false },
      'invitation.reminder_due': { handle: emailInviteeWhenInvitationReminderDue(deps), markers: false },
      'invitation.accepted': { handle: emailHostWhenInvitationAccepted(deps), markers: false },
      'invitation.declined': { handle: emailHostWhenInvitationDeclined(deps), markers: false },
      'feedback.submitted': { handle: emailHostWhenFeedbackSubmitted(deps), markers: false },
    }),
  ];
}
