import { registrationBlocker } from '../domain/event-rules.ts';
import { userKeyOf } from '../domain/identity.ts';
import { exitTransition, isActive, type TransitionKind } from '../domain/registration-states.ts';
import type { EventDoc } from './event-model.ts';
import type { RegistrationDoc } from './registration-model.ts';
import { begin, type MoveContext, type MoveResult, move, newTxn, run } from './registration-moves.ts';

/** The person a registration is for. */
export interface Person {
  user_id: string | null;
  email: string;
  name: string;
}

export type RegisterOutcome =
  | { ok: true; registration: RegistrationDoc }
  | { ok: false; reason: 'inactive' | 'past' | 'already' | 'full' | 'gone' | 'busy' };

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Inserts a registration already in flight (step 1 of a move from `new`), or null when the person
 * has one for this event (unique (event_id, user_key)).
 */
export async function insertInFlight(
  ctx: MoveContext,
  event: Pick<EventDoc, '_id' | 'start_time' | 'end_time' | 'version'>,
  person: Person,
  kind: TransitionKind,
  extra: { fallback?: TransitionKind | null; invitation_id?: string | null } = {},
): Promise<RegistrationDoc | null> {
  const now = ctx.now ? ctx.now() : new Date();
  try {
    const created = await ctx.store.registrations.create({
      event_id: event._id,
      user_key: userKeyOf(person),
      user_id: person.user_id,
      user_name: person.name,
      user_email: person.email,
      status: 'new',
      invitation_id: extra.invitation_id ?? null,
      event_start_time: event.start_time,
      event_end_time: event.end_time,
      event_version: event.version,
      registered_at: now,
      created_at: now,
      updated_at: now,
      txn: newTxn(kind, { fallback: extra.fallback ?? null, now }),
    });
    return created.toObject() as RegistrationDoc;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/**
 * POST /register: a seat if one is free and nobody waits, else (when asked) the waitlist.
 * The checks run in the order clients expect the messages; the seat itself is taken only by the
 * conditional update in the move, whatever the pre-checks saw.
 */
export async function register(
  ctx: MoveContext,
  event: EventDoc,
  person: Person,
  { waitlist }: { waitlist: boolean },
): Promise<RegisterOutcome> {
  const now = ctx.now ? ctx.now() : new Date();
  const blocker = registrationBlocker(event, now);
  if (blocker) return { ok: false, reason: blocker };
  const fallback: TransitionKind | null = waitlist ? 'join_waitlist' : null;

  let reg = await insertInFlight(ctx, event, person, 'register', { fallback });
  if (!reg) {
    const existing = await ctx.store.registrations
      .findOne({ event_id: event._id, user_key: userKeyOf(person) })
      .lean<RegistrationDoc>();
    if (!existing) return { ok: false, reason: 'busy' };
    if (isActive(existing.status)) return { ok: false, reason: 'already' };
    if (existing.txn) return { ok: false, reason: 'busy' };
    reg = await begin(ctx, existing._id, 'register', {
      fallback,
      set: { user_id: person.user_id, user_name: person.name, user_email: person.email, invitation_id: null },
    });
    if (!reg) return { ok: false, reason: 'busy' };
  }
  return outcomeOf(await run(ctx, reg));
}

function outcomeOf(result: MoveResult): RegisterOutcome {
  if (result.ok) return { ok: true, registration: result.registration };
  return { ok: false, reason: result.reason };
}

export type LeaveOutcome =
  | { ok: true; registration: RegistrationDoc; previous: RegistrationDoc['status'] }
  | { ok: false; reason: 'not_registered' | 'not_waitlisted' | 'past' | 'busy' };

/**
 * Unregister (gives back whatever the person holds or waits for) or leave the waitlist (only a
 * place in line or an offer). The freed seat goes to the next in line asynchronously, from the
 * registration.cancelled message.
 */
export async function leave(
  ctx: MoveContext,
  event: EventDoc,
  userKeys: string[],
  mode: 'unregister' | 'waitlist',
): Promise<LeaveOutcome> {
  const now = ctx.now ? ctx.now() : new Date();
  for (let attempt = 0; attempt < 3; attempt++) {
    const reg = await ctx.store.registrations
      .findOne({
        event_id: event._id,
        user_key: { $in: userKeys },
        status: { $in: ['confirmed', 'offered', 'waitlisted'] },
      })
      .lean<RegistrationDoc>();
    if (!reg) return { ok: false, reason: mode === 'unregister' ? 'not_registered' : 'not_waitlisted' };
    if (mode === 'waitlist' && reg.status === 'confirmed') return { ok: false, reason: 'not_waitlisted' };
    if (reg.status === 'confirmed' && event.start_time <= now) return { ok: false, reason: 'past' };
    const kind = exitTransition(reg.status, reg.bypassed)!;
    const reason = reg.status === 'confirmed' ? 'unregistered' : 'left_waitlist';
    const result = await move(ctx, reg._id, kind.kind, { reason });
    if (result.ok) return { ok: true, registration: result.registration, previous: reg.status };
    if (result.registration?.txn) return { ok: false, reason: 'busy' };
    // It changed status between the read and the move (e.g. promoted): look again.
  }
  return { ok: false, reason: 'busy' };
}

export type AcceptOfferOutcome =
  | { ok: true; registration: RegistrationDoc }
  | { ok: false; reason: 'no_offer' | 'expired' | 'inactive' | 'past' | 'gone' | 'busy' | 'full' };

/** Offer mode: the person confirms the seat held for them, before the offer lapses. */
export async function acceptOffer(ctx: MoveContext, event: EventDoc, userKeys: string[]): Promise<AcceptOfferOutcome> {
  const now = ctx.now ? ctx.now() : new Date();
  const reg = await ctx.store.registrations
    .findOne({ event_id: event._id, user_key: { $in: userKeys }, status: 'offered' })
    .lean<RegistrationDoc>();
  if (!reg) return { ok: false, reason: 'no_offer' };
  if (!reg.offer_expires_at || reg.offer_expires_at <= now) return { ok: false, reason: 'expired' };
  const result = await move(ctx, reg._id, 'accept_offer', { extraFilter: { offer_expires_at: { $gt: now } } });
  if (result.ok) return { ok: true, registration: result.registration };
  if (result.reason === 'busy' && !result.registration?.txn && result.registration?.status === 'offered') {
    return { ok: false, reason: 'expired' };
  }
  return { ok: false, reason: result.reason };
}
