import type { KeyedHandler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The event was full: the attendee's place in line. */
export function emailAttendeeWhenRegistrationWaitlisted(deps: ConsumerDeps): KeyedHandler<'registration.waitlisted'> {
  return mailHandler<'registration.waitlisted'>(
    deps,
    'email-attendee-when-registration-waitlisted',
    tellAttendeeAboutRegistration,
  );
}
