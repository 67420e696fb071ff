import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import type { ConsumerDeps } from './deps.ts';

/** The attendee's registration was cancelled (by them, the host, or an expired seat offer): the confirmation of it. */
export function emailAttendeeWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return async function emailAttendee(message, ctx) {
    const result = await tellAttendeeAboutRegistration(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-attendee-when-registration-cancelled handled',
    );
  };
}
