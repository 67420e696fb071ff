import { randomUUID } from 'node:crypto';
import { withOutbox } from '@convene/bus';
import type { DomainEvent, Person } from '@convene/contracts';
import { type Causes, personKey } from '@convene/domain-kit';
import { isDuplicateKey, type Logger } from '@convene/kit';
import { Types } from 'mongoose';
import { type RegistrationBlocker, registrationBlocker } from '../domain/event-rules.ts';
import {
  type CancelReason,
  type Counter,
  type Guard,
  previousStatusForCancel,
  type RegistrationStatus,
  type TransitionKind,
  transitions,
} from '../domain/registration-states.ts';
import { announce } from './announcements.ts';
import type { EventDoc, TxnEntry } from './event-model.ts';
import { jobQueries } from './job-queries.ts';
import type { RegistrationDoc, RegistrationTxn } from './registration-model.ts';
import { eventsCollection, registrationsCollection, type Store } from './store.ts';
import { positionOf, waitlistPosition } from './waitlist-positions.ts';

/**
 * The seat-move engine: the two-phase recipe that ties a registration's status to the event's
 * seat counters without multi-document transactions. Every move of a registration R on event E goes:
 *
 *   1. begin   R: {status ∈ from, txn: null}  → set txn {id T, kind, at}              R is "in flight"
 *   2. apply   E: {guards, txns.id ≠ T}       → $inc counters, $push txns {T, reg, kind}
 *   3. finish  R: {txn.id = T}                → new status, txn null, done_txns += T, outbox += message
 *   4. clean   E: $pull txns {id: T}
 *
 * Step 2 is one conditional update, so capacity is never exceeded. Step 3 decides: it succeeds
 * only while R still holds T. Recovery (`recoverStale`) may undo a move that looks abandoned
 * (clear R's txn) — if the request was only slow and applies afterwards, step 3 fails and the
 * counters are given back (compensate: the inverse $inc and the $pull of T in one update, done
 * by the request or, if it dies too, by recovery, which sees an entry T that R neither holds
 * nor has in done_txns). The message is written in step 3, in the same update as the status,
 * so none is ever published for a move that did not happen, and none is lost for one that did.
 *
 * Callers never drive the steps: `perform` runs a whole move, `recoverStale` judges the moves a
 * crash left behind. Every write of a registration's status goes through `perform`, including
 * the two that move no seat: a refused entry recorded as `rejected` (an invitation answered for
 * an event that is gone, closed or full) and `answer` (a standing announced again).
 */

/** Where a move stands when `afterStep` is called (1 begun, 2 applied, 3 finished). */
export type MoveStep = 'begun' | 'applied' | 'finished';

export interface SeatMovesOptions {
  store: Store;
  now: () => Date;
  /** Where a failed step 4 is reported (recovery redoes it). */
  logger?: Pick<Logger, 'warn'>;
  /** How long an offer is held when the event does not say. */
  defaultOfferWindowMs: number;
  /**
   * Crash-point tests only: called after each step of `perform`. Throwing leaves the move exactly
   * as a crash right there would; waiting makes the request a slow one.
   */
  afterStep?: (step: MoveStep, registration: RegistrationDoc) => void | Promise<void>;
}

interface MoveOptions {
  kind: TransitionKind;
  /** A move to try if the first is refused (register → join the waitlist). */
  fallback?: TransitionKind | null;
  reason?: CancelReason | null;
  /** Refused: undo the move (default), or record it as a rejected registration (invitation answers). */
  onRefusal?: 'abort' | 'reject';
  causes?: Causes;
  /**
   * More conditions the event must meet in step 2 (register: `{visibility: 'public'}`, so a
   * request that skipped reading the event moves only where no invitation check is due). An event
   * refused only by these answers `restricted`.
   */
  eventFilter?: Record<string, unknown>;
}

/**
 * No seat moves: a registration someone already holds, is offered or waits for is announced again
 * (registration.confirmed, or registration.waitlisted with their place) with `set` written, e.g.
 * the id of the invitation it now answers. Conditional on the registration being in the status
 * read, with no move in flight; `gone` when its event no longer exists.
 */
export interface AnswerRequest {
  answer: RegistrationDoc;
  set: Partial<RegistrationDoc>;
  causes?: Causes;
}

/** A move of an existing registration, or of a new one inserted for it, or an answer. */
export type MoveRequest = SeatMoveRequest | AnswerRequest;

type SeatMoveRequest = MoveOptions &
  (
    | {
        registrationId: string;
        set?: Partial<RegistrationDoc>;
        /** More conditions the registration must meet when the move begins. */
        extraFilter?: Record<string, unknown>;
      }
    | {
        create: {
          /**
           * The event, by id. Its times may be left out: the registration is then inserted
           * without them and step 3 copies them from the event as step 2 found it.
           */
          event: Pick<EventDoc, '_id'> & Partial<Pick<EventDoc, 'start_time' | 'end_time' | 'version'>>;
          person: Person;
          invitation_id?: string | null;
        };
      }
  );

export type Refusal = 'busy' | 'full' | RegistrationBlocker;
export type MoveResult =
  | { ok: true; registration: RegistrationDoc; event: EventDoc; kind: TransitionKind | 'answer' }
  | { ok: false; reason: Refusal; registration: RegistrationDoc | null; event: EventDoc | null }
  /** `create`: the person already has a registration for this event (unique (event_id, user_key)). */
  | { ok: false; reason: 'exists'; registration: null; event: null };

export interface MoveRecoveryReport {
  finished: number;
  undone: number;
  compensated: number;
  cleaned: number;
}

export interface SeatMoves {
  /**
   * Runs a whole move. It resolves once step 3 decided it; step 4 (the `$pull` of the entry on
   * the event) goes on after, off the caller's path: a failure there is logged and recovery
   * cleans the entry ("entry T, R finished T"). `settled()` waits for those.
   */
  perform(request: MoveRequest): Promise<MoveResult>;
  /** Resolves when no step 4 started by `perform` is still running (the service's stop waits for it). */
  settled(): Promise<void>;
  /**
   * Finishes or undoes moves older than `olderThanMs` (a crash, a killed pod, a lost connection),
   * judged by whether the counter change reached the event:
   *
   *   R holds T, the event has entry T      → step 2 happened: finish it (status + message), pull T
   *   R holds T, no entry on the event      → step 2 did not happen (yet): undo R's side (clear its
   *                                           txn; a registration created for the move is removed).
   *                                           Should the slow request still apply it, its step 3
   *                                           fails and it gives the seat back itself
   *   entry T, R finished T (done_txns)     → only step 4 is missing: pull T
   *   entry T, R neither holds nor did T    → the move was undone after it applied: compensate
   *                                           (inverse $inc + pull, one conditional update)
   *
   * Every write is conditional on the move's id, so recovery on several replicas at once, or
   * racing the request that began the move, ends in the same single outcome.
   */
  recoverStale(options: { olderThanMs: number; batch?: number }): Promise<MoveRecoveryReport>;
}

/**
 * Step 4s still running, per store: every engine over the same store (the service's, a test's
 * crash-point one) shares them, so one `settled()` covers all.
 */
const cleanupsByStore = new WeakMap<Store, Set<Promise<void>>>();

function cleanupsOf(store: Store): Set<Promise<void>> {
  let cleanups = cleanupsByStore.get(store);
  if (!cleanups) {
    cleanups = new Set();
    cleanupsByStore.set(store, cleanups);
  }
  return cleanups;
}

/** Resolves when no step 4 started on this store is still running. */
export async function movesSettled(store: Store): Promise<void> {
  const cleanups = cleanupsOf(store);
  // Loops: a move finishing meanwhile may add one.
  while (cleanups.size > 0) await Promise.all(cleanups);
}

export function seatMoves(options: SeatMovesOptions): SeatMoves {
  const cleanups = cleanupsOf(options.store);
  /** Step 4 of a request's move, tracked until done; it never rejects (a failure is logged). */
  const cleanUpLater = (ctx: Ctx, eventId: string, txnId: string) => {
    const pending: Promise<void> = pullEntry(ctx, eventId, txnId)
      .catch((err: unknown) => {
        options.logger?.warn(
          { err, event_id: eventId, txn: txnId },
          'step 4 of a seat move failed; recovery cleans it',
        );
      })
      .finally(() => cleanups.delete(pending));
    cleanups.add(pending);
  };
  return {
    perform: (request) =>
      perform({ ...options, afterStep: options.afterStep, causes: request.causes, cleanUp: cleanUpLater }, request),
    settled: () => movesSettled(options.store),
    recoverStale: (opts) =>
      recoverStale({ ...options, afterStep: undefined, causes: undefined, cleanUp: undefined }, opts),
  };
}

interface Ctx extends Omit<SeatMovesOptions, 'afterStep'> {
  afterStep: SeatMovesOptions['afterStep'] | undefined;
  causes: Causes | undefined;
  /** Runs step 4 off the caller's path (perform); undefined: awaited in place (recovery). */
  cleanUp: ((ctx: Ctx, eventId: string, txnId: string) => void) | undefined;
}

/**
 * The filters of the hot-path writes (on the driver, not mongoose): every one is by `_id`.
 * test/queries-use-indexes.test.ts checks them with the others.
 */
export const moveQueries = {
  apply: (eventId: string, txnId: string, guards: Record<string, unknown>) => ({
    _id: eventId,
    'txns.id': { $ne: txnId },
    ...guards,
  }),
  finish: (registrationId: string, txnId: string) => ({ _id: registrationId, 'txn.id': txnId }),
  pull: (eventId: string) => ({ _id: eventId }),
};

/** Step 4: the entry of a finished move leaves the event. */
async function pullEntry(ctx: Pick<Ctx, 'store'>, eventId: string, txnId: string): Promise<void> {
  await eventsCollection(ctx.store).updateOne(moveQueries.pull(eventId), { $pull: { txns: { id: txnId } } });
}

async function perform(ctx: Ctx, request: MoveRequest): Promise<MoveResult> {
  if ('answer' in request) return answer(ctx, request);
  const begun =
    'create' in request
      ? await insertInFlight(ctx, request.create, request.kind, request.fallback ?? null)
      : await begin(ctx, request.registrationId, request);
  if (!begun) {
    if ('create' in request) return { ok: false, reason: 'exists', registration: null, event: null };
    const registration = await ctx.store.registrations.findById(request.registrationId).lean<RegistrationDoc>();
    return { ok: false, reason: 'busy', registration, event: null };
  }
  await ctx.afterStep?.('begun', begun);
  return run(ctx, begun, request.onRefusal ?? 'abort', request.eventFilter);
}

export function guardFilter(guards: readonly Guard[], now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  for (const guard of guards) {
    if (guard === 'open') Object.assign(filter, { is_active: true, deleted_at: null, start_time: { $gt: now } });
    if (guard === 'seat') filter.seats_left = { $gt: 0 };
    if (guard === 'queue_empty') filter.waitlist_count = 0;
  }
  return filter;
}

function newTxn(
  kind: TransitionKind,
  opts: { fallback?: TransitionKind | null; reason?: CancelReason | null; now: Date },
): RegistrationTxn {
  return { id: randomUUID(), kind, fallback: opts.fallback ?? null, reason: opts.reason ?? null, at: opts.now };
}

/**
 * A new registration as the schema's defaults would write it (registration-model.ts), every
 * field explicit: it is inserted on the driver, which applies no defaults. The event's times are
 * null until step 3 copies them when they are not given.
 * (test/registration-document.test.ts compares it with a mongoose-created one, field by field.)
 */
export function newRegistration(input: {
  event: Extract<SeatMoveRequest, { create: unknown }>['create']['event'];
  person: Person;
  invitation_id: string | null;
  txn: RegistrationTxn | null;
  now: Date;
}): RegistrationDoc {
  const { event, person, now } = input;
  return {
    _id: new Types.ObjectId().toHexString(),
    event_id: event._id,
    user_key: personKey(person),
    user_id: person.user_id,
    user_name: person.name,
    user_email: person.email,
    status: 'new',
    bypassed: false,
    promoted: false,
    invitation_id: input.invitation_id,
    waitlist_pos: null,
    offer_expires_at: null,
    checked_in: false,
    checked_in_at: null,
    cancel_reason: null,
    reject_reason: null,
    event_start_time: event.start_time ?? (null as unknown as Date),
    event_end_time: event.end_time ?? (null as unknown as Date),
    event_version: event.version ?? 0,
    registered_at: now,
    confirmed_at: null,
    cancelled_at: null,
    txn: input.txn,
    done_txns: [],
    created_at: now,
    updated_at: now,
    outbox: [],
    outbox_at: null,
  };
}

/** Step 1 for a new registration: inserted already in flight; null when the person has one for this event. */
async function insertInFlight(
  ctx: Ctx,
  { event, person, invitation_id = null }: Extract<SeatMoveRequest, { create: unknown }>['create'],
  kind: TransitionKind,
  fallback: TransitionKind | null,
): Promise<RegistrationDoc | null> {
  const now = ctx.now();
  const doc = newRegistration({ event, person, invitation_id, txn: newTxn(kind, { fallback, now }), now });
  try {
    await registrationsCollection(ctx.store).insertOne(doc);
    return doc;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** Step 1 for an existing registration. Null when it is not in a `from` status or already in flight. */
async function begin(
  ctx: Ctx,
  registrationId: string,
  opts: Pick<MoveOptions, 'kind' | 'fallback' | 'reason'> & {
    set?: Partial<RegistrationDoc>;
    extraFilter?: Record<string, unknown>;
  },
): Promise<RegistrationDoc | null> {
  const txn = newTxn(opts.kind, { ...opts, now: ctx.now() });
  return ctx.store.registrations
    .findOneAndUpdate(
      { _id: registrationId, status: { $in: transitions[opts.kind].from }, txn: null, ...opts.extraFilter },
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
async function apply(
  ctx: Ctx,
  reg: RegistrationDoc,
  kind: TransitionKind,
  eventFilter: Record<string, unknown> | undefined,
): Promise<EventDoc | null> {
  const now = ctx.now();
  const txn = reg.txn!;
  const t = transitions[kind];
  const entry: TxnEntry = { id: txn.id, reg: reg._id, kind, at: now };
  const before = (await eventsCollection(ctx.store).findOneAndUpdate(
    moveQueries.apply(reg.event_id, txn.id, { ...eventFilter, ...guardFilter(t.guards, now) }),
    { $inc: t.inc, $push: { txns: entry } },
    { returnDocument: 'before', projection: eventFields },
  )) as EventDoc | null; // the projection leaves out only fields moves do not read
  return before && withIncrements(before, t.inc);
}

function withIncrements(event: EventDoc, inc: Partial<Record<Counter, number>>): EventDoc {
  const after = { ...event };
  for (const [counter, delta] of Object.entries(inc) as [Counter, number][]) after[counter] = event[counter] + delta;
  return after;
}

/** The status fields a finished move writes. */
function statusFields(
  ctx: Ctx,
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
  ctx: Ctx,
  before: RegistrationDoc,
  after: RegistrationDoc,
  kind: TransitionKind,
  event: EventDoc,
): Promise<DomainEvent> {
  const t = transitions[kind];
  if (t.announces === 'registration.confirmed') {
    return announce(ctx.store).confirmed(
      after,
      event,
      { promoted: after.promoted, bypassed: after.bypassed },
      ctx.causes,
    );
  }
  if (t.announces === 'registration.waitlisted') {
    const position = await waitlistPosition(ctx.store, {
      event_id: event._id,
      waitlist_pos: after.waitlist_pos ?? Number.MAX_SAFE_INTEGER,
    });
    return announce(ctx.store).waitlisted(after, event, position, ctx.causes);
  }
  if (t.announces === 'registration.offered')
    return announce(ctx.store).offered(after, event, after.offer_expires_at!, ctx.causes);
  return announce(ctx.store).cancelled(
    after,
    event,
    previousStatusForCancel(kind),
    before.txn?.reason ?? 'unregistered',
    ctx.causes,
  );
}

/**
 * Steps 3 and 4 for a move whose step 2 happened (also recovery's). Resolves with the
 * registration as it ends up (whoever finished it), or null when the registration no longer
 * holds the move (recovery undid it): then the counter change is given back.
 */
async function finish(
  ctx: Ctx,
  reg: RegistrationDoc,
  kind: TransitionKind,
  event: EventDoc,
  seq?: number,
): Promise<RegistrationDoc | null> {
  const now = ctx.now();
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
  const finished = await registrationsCollection(ctx.store).findOneAndUpdate(
    moveQueries.finish(reg._id, txnId),
    withOutbox({ $set: set, $push: { done_txns: { $each: [txnId], $slice: -DONE_KEPT } } }, [message], now),
    { returnDocument: 'after' },
  );
  const outcome = finished ?? (await ctx.store.registrations.findById(reg._id).lean<RegistrationDoc>());
  if (outcome?.done_txns.includes(txnId)) {
    if (finished) await ctx.afterStep?.('finished', finished);
    if (ctx.cleanUp) ctx.cleanUp(ctx, event._id, txnId);
    else await pullEntry(ctx, event._id, txnId);
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
async function compensate(ctx: Ctx, eventId: string, txnId: string, kind: TransitionKind): Promise<boolean> {
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
async function abort(ctx: Ctx, reg: RegistrationDoc, txnId: string): Promise<void> {
  if (reg.status === 'new') {
    await ctx.store.registrations.deleteOne({ _id: reg._id, status: 'new', 'txn.id': txnId });
  } else {
    await ctx.store.registrations.updateOne({ _id: reg._id, 'txn.id': txnId }, { $set: { txn: null } });
  }
}

/**
 * Steps 2–4 for a registration that began a move (`reg.txn` set): tries the move, then its
 * fallback; when both are refused the move is undone (or recorded as rejected) and the reason given.
 */
async function run(
  ctx: Ctx,
  reg: RegistrationDoc,
  onRefusal: 'abort' | 'reject',
  eventFilter?: Record<string, unknown>,
): Promise<MoveResult> {
  const txn = reg.txn!;
  const kinds = [txn.kind, ...(txn.fallback ? [txn.fallback] : [])];
  let refusal: Refusal = 'full';
  let current: EventDoc | null = null;
  for (const kind of kinds) {
    const applied = await apply(ctx, reg, kind, eventFilter);
    if (applied) {
      await ctx.afterStep?.('applied', reg);
      const seq = kind === 'join_waitlist' ? applied.waitlist_seq : undefined;
      const registration = await finish(ctx, reg, kind, applied, seq);
      // Null: recovery judged this (slow) move abandoned and undid it; the seat was given back.
      return registration
        ? { ok: true, registration, event: applied, kind }
        : { ok: false, reason: 'busy', registration: null, event: applied };
    }
    current = await ctx.store.events.findById(reg.event_id, eventFields).lean<EventDoc>();
    refusal = refusalOf(current, ctx.now(), eventFilter);
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
  restricted: 'event_not_found',
  inactive: 'event_inactive',
  past: 'event_past',
  full: 'full',
} as const;

/**
 * Ends a refused move as a recorded refusal instead of undoing it: the registration becomes
 * `rejected` and registration.rejected is announced in the same update (invitation answers).
 */
async function reject(ctx: Ctx, reg: RegistrationDoc, refusal: Refusal): Promise<RegistrationDoc | null> {
  const now = ctx.now();
  const reason = rejectionReasons[refusal === 'busy' ? 'full' : refusal];
  const message = announce(ctx.store).rejected(reg, reason, ctx.causes);
  return ctx.store.registrations
    .findOneAndUpdate(
      { _id: reg._id, 'txn.id': reg.txn!.id },
      withOutbox({ $set: { status: 'rejected', txn: null, reject_reason: reason, updated_at: now } }, [message], now),
      { new: true },
    )
    .lean<RegistrationDoc>();
}

/** Why an entering move was refused, judged from the event as it is now: the domain's order, else full. */
function refusalOf(event: EventDoc | null, now: Date, eventFilter: Record<string, unknown> | undefined): Refusal {
  return registrationBlocker(event, now, eventFilter) ?? 'full';
}

/** The `answer` move: one conditional update of the registration, its standing in the outbox. */
async function answer(ctx: Ctx, { answer: reg, set }: AnswerRequest): Promise<MoveResult> {
  const event = await ctx.store.events.findById(reg.event_id, eventFields).lean<EventDoc>();
  if (!event) return { ok: false, reason: 'gone', registration: reg, event: null };
  const now = ctx.now();
  const after: RegistrationDoc = { ...reg, ...set, updated_at: now };
  const message =
    reg.status === 'confirmed'
      ? announce(ctx.store).confirmed(after, event, { promoted: reg.promoted, bypassed: reg.bypassed }, ctx.causes)
      : announce(ctx.store).waitlisted(after, event, (await positionOf(ctx.store, reg)) ?? 1, ctx.causes);
  const answered = await ctx.store.registrations.updateOne(
    { _id: reg._id, status: reg.status, txn: null },
    withOutbox({ $set: { ...set, updated_at: now } }, [message], now),
  );
  if (answered.modifiedCount === 0) return { ok: false, reason: 'busy', registration: reg, event };
  return { ok: true, registration: after, event, kind: 'answer' };
}

async function recoverStale(
  ctx: Ctx,
  { olderThanMs, batch = 200 }: { olderThanMs: number; batch?: number },
): Promise<MoveRecoveryReport> {
  const report: MoveRecoveryReport = { finished: 0, undone: 0, compensated: 0, cleaned: 0 };
  const cutoff = new Date(ctx.now().getTime() - olderThanMs);

  const stuck = await ctx.store.registrations
    .find(jobQueries.staleRegistrationMoves(cutoff))
    .limit(batch)
    .lean<RegistrationDoc[]>();
  for (const reg of stuck) await resolve(ctx, reg, report);

  const events = await ctx.store.events
    .find(jobQueries.staleEventMoves(cutoff), { txns: 1 })
    .limit(batch)
    .lean<Pick<EventDoc, '_id' | 'txns'>[]>();
  for (const event of events) {
    for (const entry of event.txns.filter((e) => e.at < cutoff)) {
      const reg = await ctx.store.registrations.findById(entry.reg).lean<RegistrationDoc>();
      if (reg?.txn?.id === entry.id) {
        await resolve(ctx, reg, report);
      } else if (reg?.done_txns.includes(entry.id)) {
        await pullEntry(ctx, event._id, entry.id);
        report.cleaned++;
      } else if (await compensate(ctx, event._id, entry.id, entry.kind)) {
        report.compensated++;
      }
    }
  }
  return report;
}

async function resolve(ctx: Ctx, reg: RegistrationDoc, report: MoveRecoveryReport): Promise<void> {
  const txn = reg.txn!;
  const event = await ctx.store.events.findById(reg.event_id).lean<EventDoc>();
  const entry: TxnEntry | undefined = event?.txns.find((e) => e.id === txn.id);
  if (event && entry) {
    const finished = await finish(ctx, reg, entry.kind, event);
    if (finished) report.finished++;
    else report.compensated++;
    return;
  }
  await abort(ctx, reg, txn.id);
  report.undone++;
}
