import { expect } from 'vitest';
import { expectedCounters } from '../../src/domain/registration-states.ts';
import type { EventDoc } from '../../src/store/event-model.ts';
import type { RegistrationDoc } from '../../src/store/registration-model.ts';
import { movesSettled } from '../../src/store/seat-moves.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * Counters on the event document must equal what the registrations say, with nothing in flight.
 * Step 4 of a move (the entry's `$pull`) runs after the answer: the moves this process started
 * on `store` are waited for first (a move in another process is the caller's to wait for).
 */
export async function assertCountersMatch(store: Store, eventId: string) {
  await movesSettled(store);
  const event = await store.events.findById(eventId).lean<EventDoc>();
  const regs = await store.registrations.find({ event_id: eventId }).lean<RegistrationDoc[]>();
  expect(event!.txns).toEqual([]);
  expect(regs.filter((r) => r.txn)).toEqual([]);
  const expected = expectedCounters(event!.max_participants, regs);
  expect({
    seats_left: event!.seats_left,
    confirmed_count: event!.confirmed_count,
    bypass_count: event!.bypass_count,
    held_count: event!.held_count,
    waitlist_count: event!.waitlist_count,
  }).toEqual(expected);
  return { event: event!, regs };
}
