import type { Causes } from '@convene/domain-kit';
import { exitTransition } from '../domain/registration-states.ts';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { activeRegistrationOf } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

export type LeaveOutcome =
  | { ok: true; registration: RegistrationDoc; previous: RegistrationDoc['status'] }
  | { ok: false; reason: 'not_registered' | 'not_waitlisted' | 'too_late_to_unregister' | 'busy' };

/**
 * Unregister: gives back whatever the person holds, is offered or waits for (a held seat only
 * before the event starts). The freed seat goes to the next in line asynchronously, from the
 * registration.cancelled message.
 */
export async function cancelRegistration(
  ctx: FlowContext,
  { event, userKeys }: { event: EventDoc; userKeys: string[] },
  causes?: Causes,
): Promise<LeaveOutcome> {
  return leave(ctx, event, userKeys, 'unregister', causes);
}

/** Unregister, or (`waitlist`) give up only a place in line or an offer. */
export async function leave(
  ctx: FlowContext,
  event: EventDoc,
  userKeys: string[],
  mode: 'unregister' | 'waitlist',
  causes?: Causes,
): Promise<LeaveOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const reg = await activeRegistrationOf(ctx.store, event._id, userKeys);
    if (!reg) return { ok: false, reason: mode === 'unregister' ? 'not_registered' : 'not_waitlisted' };
    if (mode === 'waitlist' && reg.status === 'confirmed') return { ok: false, reason: 'not_waitlisted' };
    if (reg.status === 'confirmed' && event.start_time <= ctx.now()) {
      return { ok: false, reason: 'too_late_to_unregister' };
    }
    const exit = exitTransition(reg.status, reg.bypassed)!;
    const reason = reg.status === 'confirmed' ? 'unregistered' : 'left_waitlist';
    const result = await ctx.moves.perform({ registrationId: reg._id, kind: exit.kind, reason, causes });
    if (result.ok) return { ok: true, registration: result.registration, previous: reg.status };
    if (result.registration?.txn) return { ok: false, reason: 'busy' };
    // It changed status between the read and the move (e.g. promoted): look again.
  }
  return { ok: false, reason: 'busy' };
}
