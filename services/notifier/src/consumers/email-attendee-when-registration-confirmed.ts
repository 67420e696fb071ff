import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Seed 003's registration email (or: promoted off the waitlist). */
export function emailAttendeeWhenRegistrationConfirmed(deps: ConsumerDeps): Handler<'registration.confirmed'> {
  return handler<'registration.confirmed'>(
    deps,
    'email-attendee-when-registration-confirmed',
    tellAttendeeAboutRegistration,
  );
}
