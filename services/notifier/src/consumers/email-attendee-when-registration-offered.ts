import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import type { ConsumerDeps } from './deps.ts';

/** Offer mode: a seat is held for the attendee until the deadline. */
export function emailAttendeeWhenRegistrationOffered(deps: ConsumerDeps): Handler<'registration.offered'> {
  return async function emailAttendee(message, ctx) {
    const result = await tellAttendeeAboutRegistration(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-attendee-when-registration-offered handled',
    );
  };
}
