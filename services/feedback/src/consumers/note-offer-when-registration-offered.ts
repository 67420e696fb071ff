import type { Handler } from '@convene/bus';
import { learnAttendance } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** An offered seat not yet accepted is not attending. */
export function noteOfferWhenRegistrationOffered(deps: ConsumerDeps): Handler<'registration.offered'> {
  return async function noteOffer(message) {
    await learnAttendance(deps.flows, {
      registration_id: message.data.registration_id,
      event: message.data.event,
      attendee: message.data.attendee,
      status: 'offered',
      at: new Date(message.time),
    });
  };
}
