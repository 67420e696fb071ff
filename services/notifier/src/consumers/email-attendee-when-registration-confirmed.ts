import type { KeyedHandler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** Seed 003's registration email (or: promoted off the waitlist). */
export function emailAttendeeWhenRegistrationConfirmed(deps: ConsumerDeps): KeyedHandler<'registration.confirmed'> {
  return mailHandler<'registration.confirmed'>(
    deps,
    'email-attendee-when-registration-confirmed',
    tellAttendeeAboutRegistration,
  );
}
