import type { EventChanges, FieldErrors } from '../domain/event-rules.ts';
import type { EventBody } from './schemas.ts';

const comparable = (value: unknown) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : String(value);

/** The body's fields as domain changes, the legacy events API's names folded in (a conflicting pair is an error). */
export function changesFrom(body: EventBody): { changes: EventChanges; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const changes: EventChanges = {};
  const pick = <T>(canonical: T | undefined, alias: T | undefined, aliasName: string, canonicalName: string) => {
    if (canonical !== undefined && alias !== undefined && comparable(canonical) !== comparable(alias)) {
      errors[aliasName] = [`Conflicts with ${canonicalName}; send one of them.`];
    }
    return canonical ?? alias;
  };
  const start = pick(body.start_time, body.date, 'date', 'start_time');
  if (start !== undefined) changes.start_time = new Date(start);
  const capacity = pick(body.max_participants, body.max_attendees, 'max_attendees', 'max_participants');
  if (capacity !== undefined) changes.max_participants = capacity;
  if (body.end_time !== undefined) changes.end_time = new Date(body.end_time);
  for (const key of [
    'title',
    'description',
    'location',
    'timezone',
    'visibility',
    'is_active',
    'requires_check_in',
    'waitlist_mode',
    'offer_window_hours',
  ] as const) {
    if (body[key] !== undefined) (changes as Record<string, unknown>)[key] = body[key];
  }
  return { changes, errors };
}
