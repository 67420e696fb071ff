import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Seed 003's cancellation email. */
export function emailAttendeeWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return handler<'registration.cancelled'>(
    deps,
    'email-attendee-when-registration-cancelled',
    tellAttendeeAboutRegistration,
  );
}
