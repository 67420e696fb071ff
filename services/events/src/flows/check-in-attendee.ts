import { withOutbox } from '@convene/bus';
import { notConfirmed, registrationNotFound } from '../errors.ts';
import { announce } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
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
    const now = ctx.now();
    const current = await ctx.store.registrations
      .findOne({ _id: registrationId, event_id: event._id }, { outbox: 0 })
      .lean<RegistrationDoc>();
    if (!current || current.status === 'new' || current.status === 'rejected') throw registrationNotFound();
    if (current.status !== 'confirmed') throw notConfirmed();
    if (current.checked_in === attended) return current;
    const set = { checked_in: attended, checked_in_at: attended ? now : null, updated_at: now };
    const after = { ...current, ...set };
    const written = await ctx.store.registrations
      .findOneAndUpdate(
        { _id: registrationId, event_id: event._id, status: 'confirmed', checked_in: !attended },
        withOutbox({ $set: set }, [announce.attendance(after, event, attended, now)], now),
        { new: true, projection: { outbox: 0 } },
      )
      .lean<RegistrationDoc>();
    if (written) return written;
    // Changed meanwhile: judge again.
  }
}
