import type { KeyedHandler } from '@convene/bus';
import { tellAttendeeAboutRegistration } from '../flows/tell-attendee-about-registration.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** Offer mode: a seat is held for the attendee until the deadline. */
export function emailAttendeeWhenSeatOffered(deps: ConsumerDeps): KeyedHandler<'registration.offered'> {
  return mailHandler<'registration.offered'>(deps, 'email-attendee-when-seat-offered', tellAttendeeAboutRegistration);
}
