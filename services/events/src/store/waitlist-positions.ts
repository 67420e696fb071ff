import type { RegistrationDoc } from './registration-model.ts';
import type { Store } from './store.ts';

type InLine = Pick<RegistrationDoc, 'event_id' | 'waitlist_pos'>;

/**
 * "Your place on the waitlist" — computed here and nowhere else: 1 + the people of the same event
 * waiting with a smaller `waitlist_pos` (positions only grow, so gaps left by people who left or
 * were promoted do not count). Index registrations {event_id, status, waitlist_pos}.
 */
export const waitlistQueries = {
  ahead: (entry: { event_id: string; waitlist_pos: number }) => ({
    event_id: entry.event_id,
    status: 'waitlisted',
    waitlist_pos: { $lt: entry.waitlist_pos },
  }),
};

/** The place in line of someone at `waitlist_pos` of this event (≥ 1). */
export async function waitlistPosition(store: Store, entry: { event_id: string; waitlist_pos: number }) {
  return 1 + (await store.registrations.countDocuments(waitlistQueries.ahead(entry)));
}

/** The place in line of a waitlisted registration; undefined for any other. */
export async function positionOf(store: Store, reg: RegistrationDoc): Promise<number | undefined> {
  if (reg.status !== 'waitlisted' || reg.waitlist_pos === null) return undefined;
  return waitlistPosition(store, { event_id: reg.event_id, waitlist_pos: reg.waitlist_pos });
}

/**
 * The places in line of a page of registrations (undefined where not waitlisted), in one query:
 * one `$or` branch per waitlisted registration, counted per event. A person has at most one
 * registration per event and key, so an event comes up twice only for someone registered under
 * both their account and their email; that rare second one takes one more query.
 */
export async function positionsOf(store: Store, regs: RegistrationDoc[]): Promise<Array<number | undefined>> {
  const positions: Array<number | undefined> = regs.map(() => undefined);
  let pending = regs.flatMap((reg, i) =>
    reg.status === 'waitlisted' && reg.waitlist_pos !== null
      ? [{ i, reg: reg as InLine & { waitlist_pos: number } }]
      : [],
  );
  while (pending.length > 0) {
    const round = new Map<string, (typeof pending)[number]>();
    const later: typeof pending = [];
    for (const entry of pending) {
      if (round.has(entry.reg.event_id)) later.push(entry);
      else round.set(entry.reg.event_id, entry);
    }
    const counts = await store.registrations.aggregate<{ _id: string; ahead: number }>([
      { $match: { $or: [...round.values()].map(({ reg }) => waitlistQueries.ahead(reg)) } },
      { $group: { _id: '$event_id', ahead: { $sum: 1 } } },
    ]);
    const ahead = new Map(counts.map((c) => [c._id, c.ahead]));
    for (const [eventId, { i }] of round) positions[i] = 1 + (ahead.get(eventId) ?? 0);
    pending = later;
  }
  return positions;
}
