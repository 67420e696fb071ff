import type { Subscription } from '@convene/bus';
import type { ServiceParts } from '@convene/kit';
import type { ConsumerDeps } from './deps.ts';
import { emailAttendeeWhenRegistrationCancelled } from './email-attendee-when-registration-cancelled.ts';
import { emailAttendeeWhenRegistrationConfirmed } from './email-attendee-when-registration-confirmed.ts';
import { emailAttendeeWhenRegistrationWaitlisted } from './email-attendee-when-registration-waitlisted.ts';
import { emailAttendeeWhenSeatOffered } from './email-attendee-when-seat-offered.ts';
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
 * invitations never waits behind a wave of profile updates and the other way round. The bus keeps
 * the projections' markers; the mail handlers keep none, they are idempotent by their delivery and
 * inbox keys (deps.ts).
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
      'user.invited': sendSetPasswordLinkWhenUserInvited(deps),
      'event.updated': emailParticipantsWhenEventUpdated(deps),
      'event.cancelled': emailParticipantsWhenEventCancelled(deps),
      'event.reminder_due': remindParticipantsWhenEventReminderDue(deps),
      'registration.confirmed': emailAttendeeWhenRegistrationConfirmed(deps),
      'registration.waitlisted': emailAttendeeWhenRegistrationWaitlisted(deps),
      'registration.offered': emailAttendeeWhenSeatOffered(deps),
      'registration.cancelled': emailAttendeeWhenRegistrationCancelled(deps),
      'invitation.sent': emailInviteeWhenInvitationSent(deps),
      'invitation.resent': emailInviteeWhenInvitationResent(deps),
      'invitation.reminder_due': emailInviteeWhenInvitationReminderDue(deps),
      'invitation.accepted': emailHostWhenInvitationAccepted(deps),
      'invitation.declined': emailHostWhenInvitationDeclined(deps),
      'feedback.submitted': emailHostWhenFeedbackSubmitted(deps),
    }),
  ];
}
