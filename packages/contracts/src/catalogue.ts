import type { z } from 'zod';
import { EventCancelled } from './events/event.cancelled.ts';
import { EventCreated } from './events/event.created.ts';
import { EventDeleted } from './events/event.deleted.ts';
import { EventReminderDue } from './events/event.reminder_due.ts';
import { EventUpdated } from './events/event.updated.ts';
import { FeedbackSubmitted } from './events/feedback.submitted.ts';
import { InvitationAccepted } from './events/invitation.accepted.ts';
import { InvitationCancelled } from './events/invitation.cancelled.ts';
import { InvitationDeclined } from './events/invitation.declined.ts';
import { InvitationExpired } from './events/invitation.expired.ts';
import { InvitationReminderDue } from './events/invitation.reminder_due.ts';
import { InvitationResent } from './events/invitation.resent.ts';
import { InvitationSent } from './events/invitation.sent.ts';
import { RegistrationAttendanceMarked } from './events/registration.attendance_marked.ts';
import { RegistrationCancelled } from './events/registration.cancelled.ts';
import { RegistrationConfirmed } from './events/registration.confirmed.ts';
import { RegistrationOffered } from './events/registration.offered.ts';
import { RegistrationRejected } from './events/registration.rejected.ts';
import { RegistrationWaitlisted } from './events/registration.waitlisted.ts';
import { UserActivated } from './events/user.activated.ts';
import { UserDeactivated } from './events/user.deactivated.ts';
import { UserInvited } from './events/user.invited.ts';
import { UserRegistered } from './events/user.registered.ts';
import { UserUpdated } from './events/user.updated.ts';

/** The services that announce domain events; only the owner of an aggregate announces its changes. */
export type Publisher = 'auth' | 'events' | 'invitations' | 'feedback';

/**
 * Every domain event Convene carries: routing key → schema of `data`, and the one service that
 * publishes it (docs/events-catalogue.md is generated from this; a test holds each service to what
 * it declares here). The routing key is the event name. Bump `version` (and keep the old schema
 * readable) when a change is not additive.
 */
export const catalogue = {
  'user.registered': { version: 1, publishedBy: 'auth', schema: UserRegistered },
  'user.updated': { version: 1, publishedBy: 'auth', schema: UserUpdated },
  'user.invited': { version: 1, publishedBy: 'auth', schema: UserInvited },
  'user.activated': { version: 1, publishedBy: 'auth', schema: UserActivated },
  'user.deactivated': { version: 1, publishedBy: 'auth', schema: UserDeactivated },
  'event.created': { version: 1, publishedBy: 'events', schema: EventCreated },
  'event.updated': { version: 1, publishedBy: 'events', schema: EventUpdated },
  'event.cancelled': { version: 1, publishedBy: 'events', schema: EventCancelled },
  'event.deleted': { version: 1, publishedBy: 'events', schema: EventDeleted },
  'event.reminder_due': { version: 1, publishedBy: 'events', schema: EventReminderDue },
  'registration.confirmed': { version: 1, publishedBy: 'events', schema: RegistrationConfirmed },
  'registration.waitlisted': { version: 1, publishedBy: 'events', schema: RegistrationWaitlisted },
  'registration.offered': { version: 1, publishedBy: 'events', schema: RegistrationOffered },
  'registration.cancelled': { version: 1, publishedBy: 'events', schema: RegistrationCancelled },
  'registration.rejected': { version: 1, publishedBy: 'events', schema: RegistrationRejected },
  'registration.attendance_marked': { version: 1, publishedBy: 'events', schema: RegistrationAttendanceMarked },
  'invitation.sent': { version: 1, publishedBy: 'invitations', schema: InvitationSent },
  'invitation.resent': { version: 1, publishedBy: 'invitations', schema: InvitationResent },
  'invitation.accepted': { version: 1, publishedBy: 'invitations', schema: InvitationAccepted },
  'invitation.declined': { version: 1, publishedBy: 'invitations', schema: InvitationDeclined },
  'invitation.expired': { version: 1, publishedBy: 'invitations', schema: InvitationExpired },
  'invitation.cancelled': { version: 1, publishedBy: 'invitations', schema: InvitationCancelled },
  'invitation.reminder_due': { version: 1, publishedBy: 'invitations', schema: InvitationReminderDue },
  'feedback.submitted': { version: 1, publishedBy: 'feedback', schema: FeedbackSubmitted },
} as const satisfies Record<string, { version: number; publishedBy: Publisher; schema: z.ZodType }>;

export type Catalogue = typeof catalogue;
export type EventName = keyof Catalogue;
export type EventData<N extends EventName> = z.infer<Catalogue[N]['schema']>;
/** What a publisher gives: fields with a default (added after version 1, e.g. `timezone`) may be left out. */
export type EventDataInput<N extends EventName> = z.input<Catalogue[N]['schema']>;
export const eventNames = Object.keys(catalogue) as EventName[];

export function isEventName(type: string): type is EventName {
  return Object.hasOwn(catalogue, type);
}

export function dataschemaOf(name: EventName): string {
  return `urn:convene:event:${name}:v${catalogue[name].version}`;
}
