import type { Handler } from '@convene/bus';
import { learnAttendance } from '../flows/learn-attendance.ts';
import type { ConsumerDeps } from './deps.ts';

/** Check-in recorded or undone: events that require check-in accept feedback only from those checked in. */
export function recordCheckInWhenAttendanceMarked(deps: ConsumerDeps): Handler<'registration.attendance_marked'> {
  return async function recordCheckIn(message) {
    await learnAttendance(deps.flows, {
      registration_id: message.data.registration_id,
      event: message.data.event,
      attendee: message.data.attendee,
      checked_in: message.data.attended,
      at: new Date(message.time),
    });
  };
}
