import type { EventSnapshot, Person } from '@convene/contracts';
import { personKey } from '@convene/domain-kit';
import type { AttendanceStatus } from '../domain/eligibility.ts';
import { projectAttendance, projectEvent } from '../store/projection.ts';
import type { FlowContext } from './context.ts';

export interface RegistrationNews {
  registration_id: string;
  event: EventSnapshot;
  /** Keyed by user id, else by the invited address (domain-kit's personKey). */
  attendee: Person;
  /** The registration's new state; absent for a check-in, which changes only `checked_in`. */
  status?: AttendanceStatus;
  checked_in?: boolean;
  /** When events wrote it (the envelope time): an older message never overwrites a newer one. */
  at: Date;
}

/**
 * What a registration.* message teaches: the event as it was then, and the person's registration.
 * Nothing is recorded for an event deleted here.
 */
export async function learnAttendance(ctx: FlowContext, news: RegistrationNews): Promise<void> {
  const live = await projectEvent(ctx.store, news.event, news.at);
  if (!live) return;
  await projectAttendance(
    ctx.store,
    news.event.event_id,
    personKey(news.attendee),
    {
      registration_id: news.registration_id,
      ...(news.status ? { status: news.status } : {}),
      ...(news.checked_in !== undefined ? { checked_in: news.checked_in } : {}),
    },
    news.at,
  );
}

/** event.created / updated / cancelled: the event's times, hosts and settings. */
export async function learnEvent(ctx: FlowContext, snapshot: EventSnapshot, at: Date): Promise<void> {
  await projectEvent(ctx.store, snapshot, at);
}
