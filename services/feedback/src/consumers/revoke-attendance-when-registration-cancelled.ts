import type { Handler } from '@convene/bus';
import { learnAttendance } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** A cancelled registration takes away the right to leave feedback; feedback already given stays. */
export function revokeAttendanceWhenRegistrationCancelled(deps: ConsumerDeps): Handler<'registration.cancelled'> {
  return async function revokeAttendance(message) {
    await learnAttendance(deps.flows, {
      registration_id: message.data.registration_id,
      event: message.data.event,
      attendee: message.data.attendee,
      status: 'cancelled',
      at: new Date(message.time),
    });
  };
}
