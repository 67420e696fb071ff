import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import type { ConsumerDeps } from './deps.ts';

/** The attendee has a seat: the registration confirmation (or, promoted off the waitlist, the news that a seat opened up). */
export function emailAttendeeWhenRegistrationConfirmed(deps: ConsumerDeps): Handler<'registration.confirmed'> {
  return async function emailAttendee(message, ctx) {
    const result = await tellAttendeeAboutRegistration(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-attendee-when-registration-confirmed handled',
    );
  };
}
