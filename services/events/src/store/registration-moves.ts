import { randomUUID } from 'node:crypto';
import { withOutbox } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import {
  type CancelReason,
  type Counter,
  type Guard,
  previousStatusForCancel,
  type RegistrationStatus,
  type TransitionKind,
  transitions,
} from '../domain/registration-states.ts';
import { announce, type Causes } from './announcements.ts';
import type { EventDoc, TxnEntry } from './event-model.ts';
import type { RegistrationDoc, RegistrationTxn } from './registration-model.ts';
import type { Store } from './store.ts';

/**
 * The two-phase recipe that ties a registration's status to the event's seat counters without
 * multi-document transactions. Every move of a registration R on event E goes:
 *
 *   1. begin   R: {status ∈ from, txn: null}  → set txn {id T, kind, at}              R is "in flight"
 *   2. apply   E: {guards, txns.id ≠ T}       → $inc counters, $push txns {T, reg, kind}
 *   3. finish  R: {txn.id = T}                → new status, txn null, done_txns += T, outbox += message
 *   4. clean   E: $pull txns {id: T}
 *
 * Step 2 is one conditional update, so capacity is never exceeded. Step 3 decides: it succeeds
 * only while R still holds T. Recovery (recovery.ts) may undo a move that looks abandoned
 * (clear R's txn) — if the request was only slow and applies afterwards, step 3 fails and the
 * counters are given back (compensate: the inverse $inc and the $pull of T in one update, done
 * by the request or, if it dies too, by recovery, which sees an entry T that R neither holds
 * nor has in done_txns). The message is written in step 3, in the same update as the status,
 * so none is ever published for a move that did not happen, and none is lost for one that did.
 */

export interface MoveContext {
  store: Store;
  now?: () => Date;
  /** How long an offer is held when the event does not say. */
  defaultOfferWindowMs: number;
  causes?: Causes;
}

export type Refusal = 'busy' | 'gone' | 'inactive' | 'past' | 'full';
export type MoveResult =
  | { ok: true; registration: RegistrationDoc; event: EventDoc; kind: TransitionKind }
  | { ok: false; reason: Refusal; registration: RegistrationDoc | null; event: EventDoc | null };

const clock = (ctx: MoveContext) => (ctx.now ? ctx.now() : new Date());

export function guardFilter(guards: readonly Guard[], now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const guard of guards) {
    if (guard === 'open') Object.assign(filter, { is_active: true, deleted_at: null, start_time: { $gt: now } });
    if (guard === 'seat') filter.seats_left = { $gt: 0 };
    if (guard === 'queue_empty') filter.waitlist_count = 0;
  }
  return filter;
}

export function newTxn(
  kind: TransitionKind,
  opts: { fallback?: TransitionKind | null; reason?: CancelReason | null; now: Date },
): RegistrationTxn {
  return { id: randomUUID(), kind, fallback: opts.fallback ?? null, reason: opts.reason ?? null, at: opts.now };
}

/** Step 1 for an existing registration. Null when it is not in a `from` status or already in flight. */
export async function begin(
  ctx: MoveContext,
  registrationId: string,
  kind: TransitionKind,
  opts: {
    fallback?: TransitionKind | null;
    reason?: CancelReason | null;
    set?: Partial<RegistrationDoc>;
    extraFilter?: Record<string, unknown>;
  } = {},
): Promise<RegistrationDoc | null> {
  const now = clock(ctx);
  const txn = newTxn(kind, { ...opts, now });
  return ctx.store.registrations
    .findOneAndUpdate(
      { _id: registrationId, status: { $in: transitions[kind].from }, txn: null, ...opts.extraFilter },
      { $set: { ...opts.set, txn } },
      { new: true },
    )
    .lean<RegistrationDoc>();
}

/** What moves read of the event: everything but the bulky arrays. */
const eventFields = { search_terms: 0, location_terms: 0, outbox: 0, txns: 0 } as const;

/**
 * Step 2. The event as this very update left it, or null when a guard refused it.
 *
 * It is rebuilt from the document as it was *before* the update plus the update's own $inc:
 * mongo-java-server can hand concurrent writers each other's post-update document
 * (docs/mongodb-compatibility.md), so two joins could both read the same `waitlist_seq` — the
 * same place in line. The pre-image is exact there and on MongoDB. (Seats never depend on what
 * is returned: the guard in the filter decides.)
 */
async function apply(ctx: MoveContext, reg: RegistrationDoc, kind: TransitionKind): Promise<EventDoc | null> {
  const now = clock(ctx);
  const txn = reg.txn!;
  const t = transitions[kind];
  const entry: TxnEntry = { id: txn.id, reg: reg._id, kind, at: now };
  const before = await ctx.store.events
    .findOneAndUpdate(
      { _id: reg.event_id, 'txns.id': { $ne: txn.id }, ...guardFilter(t.guards, now) },
      { $inc: t.inc, $push: { txns: entry } },
      { new: false, projection: eventFields },
    )
    .lean<EventDoc>();
  return before && withIncrements(before, t.inc);
}

function withIncrements(event: EventDoc, inc: Partial<Record<Counter, number>>): EventDoc {
  const after = { ...event };
  for (const [counter, delta] of Object.entries(inc) as [Counter, number][]) after[counter] = event[counter] + delta;
  return after;
}

/** The status fields a finished move writes. */
function statusFields(
  ctx: MoveContext,
  reg: RegistrationDoc,
  kind: TransitionKind,
  event: EventDoc,
  seq: number | undefined,
  now: Date,
): Partial<RegistrationDoc> {
  const t = transitions[kind];
  const set: Partial<RegistrationDoc> = { status: t.to, txn: null, updated_at: now };
  const entering = (['new', 'cancelled', 'rejected'] as RegistrationStatus[]).includes(reg.status);
  if (entering) {
    Object.assign(set, {
      registered_at: now,
      promoted: false,
      bypassed: false,
      checked_in: false,
      checked_in_at: null,
      cancel_reason: null,
      cancelled_at: null,
      reject_reason: null,
      confirmed_at: null,
      event_start_time: event.start_time,
      event_end_time: event.end_time,
      event_version: event.version,
    });
  }
  if (t.to === 'confirmed') {
    Object.assign(set, {
      confirmed_at: now,
      bypassed: kind === 'register_bypass' || kind === 'promote_bypass',
      promoted: kind === 'promote' || kind === 'promote_bypass' || kind === 'accept_offer',
      waitlist_pos: null,
      offer_expires_at: null,
    });
  } else if (t.to === 'waitlisted') {
    set.waitlist_pos = seq ?? null;
  } else if (t.to === 'offered') {
    const hours = event.offer_window_hours;
    const windowMs = hours ? hours * 3_600_000 : ctx.defaultOfferWindowMs;
    set.offer_expires_at = new Date(now.getTime() + windowMs);
    set.waitlist_pos = null;
  } else if (t.to === 'cancelled') {
    Object.assign(set, {
      cancelled_at: now,
      cancel_reason: reg.txn?.reason ?? 'unregistered',
      waitlist_pos: null,
      offer_expires_at: null,
      checked_in: false,
      checked_in_at: null,
    });
  }
  return set;
}

async function messageFor(
  ctx: MoveContext,
  before: RegistrationDoc,
  after: RegistrationDoc,
  kind: TransitionKind,
  event: EventDoc,
): Promise<DomainEvent> {
  const t = transitions[kind];
  if (t.announces === 'registration.confirmed') {
    return announce.confirmed(after, event, { promoted: after.promoted, bypassed: after.bypassed }, ctx.causes);
  }
  if (t.announces === 'registration.waitlisted') {
    const ahead = await ctx.store.registrations.countDocuments({
      event_id: event._id,
      status: 'waitlisted',
      waitlist_pos: { $lt: after.waitlist_pos ?? Number.MAX_SAFE_INTEGER },
    });
    return announce.waitlisted(after, event, ahead + 1, ctx.causes);
  }
  if (t.announces === 'registration.offered')
    return announce.offered(after, event, after.offer_expires_at!, ctx.causes);
  return announce.cancelled(
    after,
    event,
    previousStatusForCancel(kind),
    before.txn?.reason ?? 'unregistered',
    ctx.causes,
  );
}

/**
 * Steps 3 and 4 for a move whose step 2 happened. Also used by recovery. Resolves with the
 * registration as it ends up (whoever finished it), or null when the registration no longer
 * holds the move (recovery undid it): then the counter change is given back.
 */
export async function finish(
  ctx: MoveContext,
  reg: RegistrationDoc,
  kind: TransitionKind,
  event: EventDoc,
  seq?: number,
): Promise<RegistrationDoc | null> {
  const now = clock(ctx);
  const txnId = reg.txn!.id;
  let position = seq;
  if (transitions[kind].to === 'waitlisted' && position === undefined) {
    // Recovery finishing a join whose sequence number died with the request: take a fresh one
    // (from the pre-image, like apply: the number is the one before this increment, plus one).
    const before = await ctx.store.events
      .findOneAndUpdate(
        { _id: event._id },
        { $inc: { waitlist_seq: 1 } },
        { new: false, projection: { waitlist_seq: 1 } },
      )
      .lean<Pick<EventDoc, 'waitlist_seq'>>();
    position = (before?.waitlist_seq ?? event.waitlist_seq) + 1;
  }
  const set = statusFields(ctx, reg, kind, event, position, now);
  const after = { ...reg, ...set } as RegistrationDoc;
  const message = await messageFor(ctx, reg, after, kind, event);
  const finished = await ctx.store.registrations
    .findOneAndUpdate(
      { _id: reg._id, 'txn.id': txnId },
      withOutbox({ $set: set, $push: { done_txns: { $each: [txnId], $slice: -DONE_KEPT } } }, [message]),
      { new: true },
    )
    .lean<RegistrationDoc>();
  const outcome = finished ?? (await ctx.store.registrations.findById(reg._id).lean<RegistrationDoc>());
  if (outcome?.done_txns.includes(txnId)) {
    await ctx.store.events.updateOne({ _id: event._id }, { $pull: { txns: { id: txnId } } });
    return outcome;
  }
  await compensate(ctx, event._id, txnId, kind);
  return null;
}

/** How many finished move ids a registration remembers (it moves a handful of times in its life). */
const DONE_KEPT = 20;

/**
 * Gives back the counter change of a move that was applied but will never finish: the inverse
 * $inc and the removal of its entry in one conditional update, so it happens at most once.
 * (waitlist_seq only grows: a number handed out is never reused.)
 */
export async function compensate(
  ctx: MoveContext,
  eventId: string,
  txnId: string,
  kind: TransitionKind,
): Promise<boolean> {
  const inverse: Record<string, number> = {};
  for (const [counter, delta] of Object.entries(transitions[kind].inc)) {
    if (counter !== 'waitlist_seq') inverse[counter] = -delta;
  }
  const done = await ctx.store.events.updateOne(
    { _id: eventId, 'txns.id': txnId },
    { $inc: inverse, $pull: { txns: { id: txnId } } },
  );
  return done.modifiedCount === 1;
}

/** Undo step 1 of a move that will never apply: a registration created for it disappears. */
export async function abort(ctx: MoveContext, reg: RegistrationDoc, txnId: string): Promise<void> {
  if (reg.status === 'new') {
    await ctx.store.registrations.deleteOne({ _id: reg._id, status: 'new', 'txn.id': txnId });
  } else {
    await ctx.store.registrations.updateOne({ _id: reg._id, 'txn.id': txnId }, { $set: { txn: null } });
  }
}

/**
 * Steps 2–4 for a registration that began a move (`reg.txn` set): tries the move, then its
 * fallback; when both are refused the move is undone and the reason given.
 */
export async function run(
  ctx: MoveContext,
  reg: RegistrationDoc,
  { onRefusal = 'abort' }: { onRefusal?: 'abort' | 'reject' } = {},
): Promise<MoveResult> {
  const txn = reg.txn!;
  const kinds = [txn.kind, ...(txn.fallback ? [txn.fallback] : [])];
  let refusal: Refusal = 'full';
  let current: EventDoc | null = null;
  for (const kind of kinds) {
    const applied = await apply(ctx, reg, kind);
    if (applied) {
      const seq = kind === 'join_waitlist' ? applied.waitlist_seq : undefined;
      const registration = await finish(ctx, reg, kind, applied, seq);
      // Null: recovery judged this (slow) move abandoned and undid it; the seat was given back.
      return registration
        ? { ok: true, registration, event: applied, kind }
        : { ok: false, reason: 'busy', registration: null, event: applied };
    }
    current = await ctx.store.events.findById(reg.event_id, eventFields).lean<EventDoc>();
    refusal = refusalOf(current, clock(ctx));
    if (refusal !== 'full') break;
  }
  if (onRefusal === 'reject') {
    const rejected = await reject(ctx, reg, refusal);
    return { ok: false, reason: refusal, registration: rejected, event: current };
  }
  await abort(ctx, reg, txn.id);
  return { ok: false, reason: refusal, registration: reg, event: current };
}

const rejectionReasons = {
  gone: 'event_not_found',
  inactive: 'event_inactive',
  past: 'event_past',
  full: 'full',
} as const;

/**
 * Ends a refused move as a recorded refusal instead of undoing it: the registration becomes
 * `rejected` and registration.rejected is announced in the same update (invitation answers).
 */
async function reject(ctx: MoveContext, reg: RegistrationDoc, refusal: Refusal): Promise<RegistrationDoc | null> {
  const now = clock(ctx);
  const reason = rejectionReasons[refusal === 'busy' ? 'full' : refusal];
  const message = announce.rejected(reg, reason, ctx.causes);
  return ctx.store.registrations
    .findOneAndUpdate(
      { _id: reg._id, 'txn.id': reg.txn!.id },
      withOutbox({ $set: { status: 'rejected', txn: null, reject_reason: reason, updated_at: now } }, [message]),
      { new: true },
    )
    .lean<RegistrationDoc>();
}

/** Why an entering move was refused, judged from the event as it is now. */
export function refusalOf(event: EventDoc | null, now: Date): Refusal {
  if (!event || event.deleted_at) return 'gone';
  if (!event.is_active) return 'inactive';
  if (event.start_time.getTime() <= now.getTime()) return 'past';
  return 'full';
}

/** Begin and run a move of an existing registration. */
export async function move(
  ctx: MoveContext,
  registrationId: string,
  kind: TransitionKind,
  opts: {
    fallback?: TransitionKind | null;
    reason?: CancelReason | null;
    set?: Partial<RegistrationDoc>;
    extraFilter?: Record<string, unknown>;
  } = {},
): Promise<MoveResult> {
  const begun = await begin(ctx, registrationId, kind, opts);
  if (!begun) {
    const registration = await ctx.store.registrations.findById(registrationId).lean<RegistrationDoc>();
    return { ok: false, reason: 'busy', registration, event: null };
  }
  return run(ctx, begun);
}
