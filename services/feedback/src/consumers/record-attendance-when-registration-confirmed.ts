import type { Handler } from '@convene/bus';
import { learnAttendance } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** A confirmed seat: the person may leave feedback once the event has started. */
export function recordAttendanceWhenRegistrationConfirmed(deps: ConsumerDeps): Handler<'registration.confirmed'> {
  return async function recordAttendance(message) {
    await learnAttendance(deps.flows, {
      registration_id: message.data.registration_id,
      event: message.data.event,
      attendee: message.data.attendee,
      status: 'confirmed',
      at: new Date(message.time),
    });
  };
}
