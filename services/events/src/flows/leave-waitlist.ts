import type { Causes } from '@convene/domain-kit';
import type { EventDoc } from '../store/event-model.ts';
import { type LeaveOutcome, leave } from './cancel-registration.ts';
import type { FlowContext } from './context.ts';

/** DELETE /waitlist: give up a place in line, or decline a held offer (the seat passes on). A seat is kept. */
export async function leaveWaitlist(
  ctx: FlowContext,
  { event, userKeys }: { event: EventDoc; userKeys: string[] },
  causes?: Causes,
): Promise<LeaveOutcome> {
  return leave(ctx, event, userKeys, 'waitlist', causes);
}
