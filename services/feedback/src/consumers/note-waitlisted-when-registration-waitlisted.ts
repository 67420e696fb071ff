import type { Handler } from '@convene/bus';
import { learnAttendance } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** Waiting for a seat is not attending. */
export function noteWaitlistedWhenRegistrationWaitlisted(deps: ConsumerDeps): Handler<'registration.waitlisted'> {
  return async function noteWaitlisted(message) {
    await learnAttendance(deps.flows, {
      registration_id: message.data.registration_id,
      event: message.data.event,
      attendee: message.data.attendee,
      status: 'waitlisted',
      at: new Date(message.time),
    });
  };
}
