import { withOutbox } from '@convene/bus';
import { announce } from './announcements.ts';
import type { EventDoc } from './event-model.ts';
import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

/**
 * A confirmed registration marked attended (or not), with registration.attendance_marked in the
 * same update, conditional on it still being confirmed and not yet so marked: one message per
 * actual change. Null when it changed meanwhile.
 */
export async function markAttendance(
  store: Store,
  { current, event, attended, now }: { current: RegistrationDoc; event: EventDoc; attended: boolean; now: Date },
): Promise<RegistrationDoc | null> {
  const set = { checked_in: attended, checked_in_at: attended ? now : null, updated_at: now };
  const after = { ...current, ...set };
  return store.registrations
    .findOneAndUpdate(
      { _id: current._id, event_id: event._id, status: 'confirmed', checked_in: !attended },
      withOutbox({ $set: set }, [announce(store).attendance(after, event, attended, now)], now),
      { new: true, projection: { outbox: 0 } },
    )
    .lean<RegistrationDoc>();
}
