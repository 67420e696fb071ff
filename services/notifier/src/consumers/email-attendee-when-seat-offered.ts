import type { Handler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Offer mode: a seat is held for the attendee until the deadline. */
export function emailAttendeeWhenSeatOffered(deps: ConsumerDeps): Handler<'registration.offered'> {
  return handler<'registration.offered'>(deps, 'email-attendee-when-seat-offered', tellAttendeeAboutRegistration);
}
