/**
 * Who may leave feedback, and when: only people who attended the event (the legacy
 * participation API's rule, see docs/api.md). Attending means a confirmed registration that was not cancelled, and — when the host
 * records attendance at check-in — a check-in.
 */

export interface EventFacts {
  start_time: Date;
  end_time: Date;
  is_active: boolean;
  requires_check_in: boolean;
}

export type AttendanceStatus = 'confirmed' | 'waitlisted' | 'offered' | 'cancelled';

export interface AttendanceFacts {
  status: AttendanceStatus;
  checked_in: boolean;
}

export interface FeedbackPolicy {
  /** Feedback opens at the event's start or only at its end. */
  opensAt: 'start' | 'end';
  /** How long after the end it stays open. */
  windowMs: number;
}

export type ParticipationRefusal =
  | 'not_registered'
  | 'not_confirmed'
  | 'cancelled'
  | 'not_checked_in'
  | 'event_cancelled';

export type Verdict =
  | { ok: true }
  | { ok: false; reason: ParticipationRefusal }
  | { ok: false; reason: 'not_open'; opensAt: Date }
  | { ok: false; reason: 'closed'; closedAt: Date };

/** Did this person attend? (Time is judged separately: a non-participant hears why first.) */
export function judgeParticipation(event: EventFacts, attendance: AttendanceFacts | null): Verdict {
  if (!event.is_active) return { ok: false, reason: 'event_cancelled' };
  if (!attendance) return { ok: false, reason: 'not_registered' };
  if (attendance.status === 'cancelled') return { ok: false, reason: 'cancelled' };
  if (attendance.status !== 'confirmed') return { ok: false, reason: 'not_confirmed' };
  if (event.requires_check_in && !attendance.checked_in) return { ok: false, reason: 'not_checked_in' };
  return { ok: true };
}

export function opensAt(event: EventFacts, policy: FeedbackPolicy): Date {
  return policy.opensAt === 'end' ? event.end_time : event.start_time;
}

export function closesAt(event: EventFacts, policy: FeedbackPolicy): Date {
  return new Date(event.end_time.getTime() + policy.windowMs);
}

/** Is feedback open for this event at `now`? */
export function judgeTime(event: EventFacts, now: Date, policy: FeedbackPolicy): Verdict {
  const opens = opensAt(event, policy);
  if (now < opens) return { ok: false, reason: 'not_open', opensAt: opens };
  const closes = closesAt(event, policy);
  if (now > closes) return { ok: false, reason: 'closed', closedAt: closes };
  return { ok: true };
}

/** Both rules, participation first. */
export function mayLeaveFeedback(
  event: EventFacts,
  attendance: AttendanceFacts | null,
  now: Date,
  policy: FeedbackPolicy,
): Verdict {
  const participation = judgeParticipation(event, attendance);
  return participation.ok ? judgeTime(event, now, policy) : participation;
}

/** A refusal a fresher read of the registration could overturn (a message still in flight). */
export function mightBeStale(verdict: Verdict): boolean {
  return (
    !verdict.ok &&
    (verdict.reason === 'not_registered' || verdict.reason === 'not_confirmed' || verdict.reason === 'not_checked_in')
  );
}
