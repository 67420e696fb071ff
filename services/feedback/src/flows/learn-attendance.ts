import type { EventSnapshot, Person } from '@convene/contracts';
import type { AttendanceStatus } from '../domain/eligibility.ts';
import { projectAttendance, projectEvent } from '../store/projection.ts';
import type { Store } from '../store/store.ts';

export interface RegistrationNews {
  registration_id: string;
  event: EventSnapshot;
  attendee: Person;
  /** The registration's new state; absent for a check-in, which changes only `checked_in`. */
  status?: AttendanceStatus;
  checked_in?: boolean;
  /** When events wrote it (the envelope time): an older message never overwrites a newer one. */
  at: Date;
}

/** The key the attendee's registration is stored under: their user id, else the invited email. */
export function attendeeKey(attendee: Person): string {
  return attendee.user_id ?? `email:${attendee.email.toLowerCase()}`;
}

/**
 * What a registration.* message teaches: the event as it was then, and the person's registration.
 * Nothing is recorded for an event deleted here.
 */
export async function learnAttendance(store: Store, news: RegistrationNews): Promise<void> {
  const live = await projectEvent(store, news.event, news.at);
  if (!live) return;
  await projectAttendance(
    store,
    news.event.event_id,
    attendeeKey(news.attendee),
    {
      registration_id: news.registration_id,
      ...(news.status ? { status: news.status } : {}),
      ...(news.checked_in !== undefined ? { checked_in: news.checked_in } : {}),
    },
    news.at,
  );
}

/** event.created / updated / cancelled: the event's times, hosts and settings. */
export async function learnEvent(store: Store, snapshot: EventSnapshot, at: Date): Promise<void> {
  await projectEvent(store, snapshot, at);
}
