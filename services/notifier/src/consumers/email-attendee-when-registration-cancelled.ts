import type { KeyedHandler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** Seed 003's cancellation email. */
export function emailAttendeeWhenRegistrationCancelled(deps: ConsumerDeps): KeyedHandler<'registration.cancelled'> {
  return mailHandler<'registration.cancelled'>(
    deps,
    'email-attendee-when-registration-cancelled',
    tellAttendeeAboutRegistration,
  );
}
