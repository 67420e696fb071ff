/**
 * The registration state machine and what each move does to the event's counters.
 *
 * Registration statuses:
 *   new        created by a request that has not finished (hidden from every list)
 *   confirmed  holds a seat (or, with `bypassed`, is confirmed over capacity by a VIP invitation)
 *   waitlisted in line, ordered by `waitlist_pos` (the event's monotonically increasing sequence)
 *   offered    offer-mode events: a freed seat is held for them until `offer_expires_at`
 *   cancelled  unregistered, left the waitlist, let an offer lapse, or had the invitation withdrawn
 *   rejected   an invitation-based reservation that could not be made (kept as the answer's record)
 *
 * Counters on the event document (the only place seats are counted):
 *   seats_left      capacity − confirmed (without bypass) − held offers − takes in flight
 *   confirmed_count every confirmed registration, bypassed ones included (attendees_count)
 *   bypass_count    confirmed over capacity by a VIP/bypass invitation
 *   held_count      offers outstanding
 *   waitlist_count  waitlisted registrations
 *   waitlist_seq    last waitlist position handed out (only grows)
 */

export type RegistrationStatus = 'new' | 'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'rejected';
export type Counter =
  | 'seats_left'
  | 'confirmed_count'
  | 'bypass_count'
  | 'held_count'
  | 'waitlist_count'
  | 'waitlist_seq';

/**
 * Conditions the event must meet, checked inside the same conditional update that moves the
 * counters: `open` = active, not deleted, not started; `seat` = a seat is free; `queue_empty` =
 * nobody is waiting (a direct registration may not overtake the waitlist).
 */
export type Guard = 'open' | 'seat' | 'queue_empty';

export type CancelReason = 'unregistered' | 'left_waitlist' | 'offer_lapsed' | 'invitation_cancelled' | 'event_deleted';

export type TransitionKind =
  | 'register'
  | 'register_bypass'
  | 'join_waitlist'
  | 'promote'
  | 'promote_bypass'
  | 'offer'
  | 'accept_offer'
  | 'release_seat'
  | 'release_bypass'
  | 'leave_waitlist'
  | 'release_offer';

export interface Transition {
  kind: TransitionKind;
  /** Statuses the registration may be in when the move starts. */
  from: readonly RegistrationStatus[];
  to: RegistrationStatus;
  inc: Partial<Record<Counter, number>>;
  guards: readonly Guard[];
  /** The message the finished move announces. */
  announces: 'registration.confirmed' | 'registration.waitlisted' | 'registration.offered' | 'registration.cancelled';
}

const entering = ['new', 'cancelled', 'rejected'] as const;

export const transitions: Record<TransitionKind, Transition> = {
  register: {
    kind: 'register',
    from: entering,
    to: 'confirmed',
    inc: { seats_left: -1, confirmed_count: 1 },
    guards: ['open', 'seat', 'queue_empty'],
    announces: 'registration.confirmed',
  },
  register_bypass: {
    kind: 'register_bypass',
    from: entering,
    to: 'confirmed',
    inc: { confirmed_count: 1, bypass_count: 1 },
    guards: ['open'],
    announces: 'registration.confirmed',
  },
  join_waitlist: {
    kind: 'join_waitlist',
    from: entering,
    to: 'waitlisted',
    inc: { waitlist_count: 1, waitlist_seq: 1 },
    guards: ['open'],
    announces: 'registration.waitlisted',
  },
  promote: {
    kind: 'promote',
    from: ['waitlisted'],
    to: 'confirmed',
    inc: { seats_left: -1, confirmed_count: 1, waitlist_count: -1 },
    guards: ['open', 'seat'],
    announces: 'registration.confirmed',
  },
  promote_bypass: {
    kind: 'promote_bypass',
    from: ['waitlisted'],
    to: 'confirmed',
    inc: { confirmed_count: 1, bypass_count: 1, waitlist_count: -1 },
    guards: ['open'],
    announces: 'registration.confirmed',
  },
  offer: {
    kind: 'offer',
    from: ['waitlisted'],
    to: 'offered',
    inc: { seats_left: -1, held_count: 1, waitlist_count: -1 },
    guards: ['open', 'seat'],
    announces: 'registration.offered',
  },
  accept_offer: {
    kind: 'accept_offer',
    from: ['offered'],
    to: 'confirmed',
    inc: { held_count: -1, confirmed_count: 1 },
    guards: ['open'],
    announces: 'registration.confirmed',
  },
  release_seat: {
    kind: 'release_seat',
    from: ['confirmed'],
    to: 'cancelled',
    inc: { seats_left: 1, confirmed_count: -1 },
    guards: [],
    announces: 'registration.cancelled',
  },
  release_bypass: {
    kind: 'release_bypass',
    from: ['confirmed'],
    to: 'cancelled',
    inc: { confirmed_count: -1, bypass_count: -1 },
    guards: [],
    announces: 'registration.cancelled',
  },
  leave_waitlist: {
    kind: 'leave_waitlist',
    from: ['waitlisted'],
    to: 'cancelled',
    inc: { waitlist_count: -1 },
    guards: [],
    announces: 'registration.cancelled',
  },
  release_offer: {
    kind: 'release_offer',
    from: ['offered'],
    to: 'cancelled',
    inc: { held_count: -1, seats_left: 1 },
    guards: [],
    announces: 'registration.cancelled',
  },
};

/** The move that takes a registration out of `status` (whatever it holds is given back). */
export function exitTransition(status: RegistrationStatus, bypassed: boolean): Transition | undefined {
  if (status === 'confirmed') return bypassed ? transitions.release_bypass : transitions.release_seat;
  if (status === 'waitlisted') return transitions.leave_waitlist;
  if (status === 'offered') return transitions.release_offer;
  return undefined;
}

/** Statuses a person "is registered" in: they hold, are offered, or wait for a seat. */
export const activeStatuses: readonly RegistrationStatus[] = ['confirmed', 'offered', 'waitlisted'];
/** Statuses shown in lists (`new` is in flight, `rejected` is only the record of an answer). */
export const visibleStatuses: readonly RegistrationStatus[] = ['confirmed', 'offered', 'waitlisted', 'cancelled'];

export function isActive(status: RegistrationStatus): boolean {
  return activeStatuses.includes(status);
}

/** The state a finished move leaves the registration in, for lists and messages. */
export function previousStatusForCancel(kind: TransitionKind): 'confirmed' | 'waitlisted' | 'offered' {
  if (kind === 'leave_waitlist') return 'waitlisted';
  if (kind === 'release_offer') return 'offered';
  return 'confirmed';
}

/**
 * What the counters must equal given the registrations: used by the recovery check and tests.
 * `seats_left` assumes no move is in flight.
 */
export function expectedCounters(
  maxParticipants: number,
  registrations: Iterable<{ status: RegistrationStatus; bypassed: boolean }>,
): Record<Exclude<Counter, 'waitlist_seq'>, number> {
  let confirmed = 0;
  let bypass = 0;
  let held = 0;
  let waiting = 0;
  for (const r of registrations) {
    if (r.status === 'confirmed') {
      confirmed++;
      if (r.bypassed) bypass++;
    } else if (r.status === 'offered') held++;
    else if (r.status === 'waitlisted') waiting++;
  }
  return {
    seats_left: maxParticipants - (confirmed - bypass) - held,
    confirmed_count: confirmed,
    bypass_count: bypass,
    held_count: held,
    waitlist_count: waiting,
  };
}
