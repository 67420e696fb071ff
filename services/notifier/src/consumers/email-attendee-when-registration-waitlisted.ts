import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import type { ConsumerDeps } from './deps.ts';

/** The event was full: the attendee's place in line. */
export function emailAttendeeWhenRegistrationWaitlisted(deps: ConsumerDeps): Handler<'registration.waitlisted'> {
  return async function emailAttendee(message, ctx) {
    const result = await tellAttendeeAboutRegistration(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-attendee-when-registration-waitlisted handled',
    );
  };
}
