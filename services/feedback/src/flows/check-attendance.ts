import {
  type AttendanceFacts,
  type AttendanceStatus,
  mayLeaveFeedback,
  mightBeStale,
  type Verdict,
} from '../domain/eligibility.ts';
import type { EventDoc } from '../store/models.ts';
import { findAttendance, findEvent, rememberAttendance, rememberEvent } from '../store/projection.ts';
import type { RegistrationRead } from '../upstream/events-client.ts';
import { type Actor, type FlowContext, keysOf } from './context.ts';

export type AttendanceCheck = { found: false } | { found: true; event: EventDoc; verdict: Verdict };

/** Events' registration states as feedback sees them ('new' is a seat move still in flight). */
function statusOf(status: string): AttendanceStatus | null {
  if (status === 'confirmed' || status === 'waitlisted' || status === 'offered') return status;
  if (status === 'cancelled') return 'cancelled';
  return null;
}

/**
 * May `actor` leave feedback for the event now? Judged from the local projection; when that says
 * no for a reason a message still in flight could change (no registration yet, not yet confirmed,
 * not yet checked in) — or the event itself is unknown — events is asked once and its answer wins.
 */
export async function checkAttendance(ctx: FlowContext, eventId: string, actor: Actor): Promise<AttendanceCheck> {
  const now = ctx.now();
  const event = await findEvent(ctx.store, eventId);
  if (event?.deleted) return { found: false };
  if (event) {
    const attendance = await findAttendance(ctx.store, eventId, keysOf(actor));
    const verdict = mayLeaveFeedback(event, attendance, now, ctx.policy);
    if (!mightBeStale(verdict)) return { found: true, event, verdict };
  }

  const read = await ctx.events.registration(eventId, actor.id);
  if (!read) return { found: false };
  await remember(ctx, read, actor);
  const fresh = await findEvent(ctx.store, eventId);
  if (!fresh || fresh.deleted) return { found: false };
  const facts = attendanceFrom(read);
  // The read is newer than the projection for this decision, whatever the projection holds.
  const readEvent = {
    ...fresh,
    start_time: new Date(read.event.start_time),
    end_time: new Date(read.event.end_time),
    is_active: read.event.is_active,
    requires_check_in: read.event.requires_check_in,
  };
  return { found: true, event: fresh, verdict: mayLeaveFeedback(readEvent, facts, now, ctx.policy) };
}

function attendanceFrom(read: RegistrationRead): AttendanceFacts | null {
  const status = read.registration ? statusOf(read.registration.status) : null;
  return status ? { status, checked_in: read.registration!.checked_in } : null;
}

async function remember(ctx: FlowContext, read: RegistrationRead, actor: Actor): Promise<void> {
  await rememberEvent(ctx.store, read.event);
  const status = read.registration ? statusOf(read.registration.status) : null;
  if (read.registration && status) {
    await rememberAttendance(ctx.store, read.event.event_id, actor.id, {
      registration_id: read.registration.registration_id,
      status,
      checked_in: read.registration.checked_in,
    });
  }
}
