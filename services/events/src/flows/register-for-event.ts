import type { Person } from '@convene/contracts';
import type { Causes } from '@convene/domain-kit';
import { registrationBlocker } from '../domain/event-rules.ts';
import { isActive, type TransitionKind } from '../domain/registration-states.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { registrationOfPerson } from '../store/registration-queries.ts';
import type { MoveResult } from '../store/seat-moves.ts';
import { positionOf } from '../store/waitlist-positions.ts';
import type { FlowContext } from './context.ts';
import { findReadableEvent } from './find-readable-event.ts';

export type RegisterOutcome =
  | { ok: true; registration: RegistrationDoc; position: number | undefined }
  | { ok: false; reason: 'inactive' | 'past' | 'already' | 'full' | 'gone' | 'busy' };

/**
 * POST /register: a seat if one is free and nobody waits, else (when asked) the waitlist.
 *
 * The common case, a first registration for a public event, does not read the event: the move
 * is tried at once with `visibility: 'public'` among step 2's guards, and step 3 copies the
 * event's times from what step 2 found. Only when that is refused, or the person already has a
 * registration, is the event read and checked as before, in the order clients expect the
 * messages (not found / not readable, inactive, past, already registered, full). Either way the
 * seat is taken only by the conditional update in the move. Someone who cancelled before
 * registers again on the same registration.
 */
export async function registerForEvent(
  ctx: FlowContext,
  { eventId, person, waitlist }: { eventId: string; person: Person; waitlist: boolean },
  causes?: Causes,
): Promise<RegisterOutcome> {
  const fallback: TransitionKind | null = waitlist ? 'join_waitlist' : null;
  const first = await ctx.moves.perform({
    create: { event: { _id: eventId }, person },
    kind: 'register',
    fallback,
    causes,
    eventFilter: { visibility: 'public' },
  });
  if (first.ok) return registered(ctx, first);
  // The event is public (or gone) and the person had no registration: the move's own refusal
  // read already says why, in the same order as the checks below.
  if (first.reason !== 'exists' && first.reason !== 'restricted') return { ok: false, reason: first.reason };

  // Invite-only, or a registration exists: the checks, then the move, as without the shortcut.
  const { event } = await findReadableEvent(
    ctx,
    eventId,
    person.user_id ? { id: person.user_id, email: person.email } : undefined,
  );
  const blocker = registrationBlocker(event, ctx.now());
  if (blocker) return { ok: false, reason: blocker };
  let result: MoveResult =
    first.reason === 'exists'
      ? first
      : await ctx.moves.perform({ create: { event, person }, kind: 'register', fallback, causes });
  if (!result.ok && result.reason === 'exists') {
    const existing = await registrationOfPerson(ctx.store, event._id, person);
    if (!existing) return { ok: false, reason: 'busy' };
    if (isActive(existing.status)) return { ok: false, reason: 'already' };
    if (existing.txn) return { ok: false, reason: 'busy' };
    result = await ctx.moves.perform({
      registrationId: existing._id,
      kind: 'register',
      fallback,
      set: { user_id: person.user_id, user_name: person.name, user_email: person.email, invitation_id: null },
      causes,
    });
  }
  if (!result.ok)
    return { ok: false, reason: result.reason === 'exists' || result.reason === 'restricted' ? 'busy' : result.reason };
  return registered(ctx, result);
}

async function registered(ctx: FlowContext, result: Extract<MoveResult, { ok: true }>): Promise<RegisterOutcome> {
  return { ok: true, registration: result.registration, position: await positionOf(ctx.store, result.registration) };
}
