import { notConfirmed, registrationNotFound } from '../errors.ts';
import { markAttendance } from '../store/attendance.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { registrationInEvent } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * The host or a co-host marks a confirmed registration as attended (or undoes it):
 * registration.attendance_marked once per actual change, in the same conditional update.
 */
export async function checkInAttendee(
  ctx: FlowContext,
  { event, registrationId, attended }: { event: EventDoc; registrationId: string; attended: boolean },
): Promise<RegistrationDoc> {
  for (;;) {
    const current = await registrationInEvent(ctx.store, event._id, registrationId);
    if (!current || current.status === 'new' || current.status === 'rejected') throw registrationNotFound();
    if (current.status !== 'confirmed') throw notConfirmed();
    if (current.checked_in === attended) return current;
    const written = await markAttendance(ctx.store, { current, event, attended, now: ctx.now() });
    if (written) return written;
    // Changed meanwhile: judge again.
  }
}
