import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The event was full: the attendee's place in line. */
export function emailAttendeeWhenRegistrationWaitlisted(deps: ConsumerDeps): Handler<'registration.waitlisted'> {
  return handler<'registration.waitlisted'>(
    deps,
    'email-attendee-when-registration-waitlisted',
    tellAttendeeAboutRegistration,
  );
}
