import type { DomainEvent } from '@convene/contracts';
import { rememberEvent } from '../store/projections.ts';
import type { FlowDeps } from './deps.ts';
import { factsOfSnapshot } from './event-facts.ts';
import { fanOut } from './tell-participants-about-event-change.ts';

export function leadText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'in 24 hours' : `in ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'in 1 hour' : `in ${minutes / 60} hours`;
  return `in ${minutes} minutes`;
}

/** event.reminder_due: every confirmed attendee gets a reminder with the event as an `.ics` attachment. */
export async function remindParticipantsOfEvent(deps: FlowDeps, message: DomainEvent<'event.reminder_due'>) {
  const event = message.data;
  await rememberEvent(deps.store, event, new Date(message.time));
  if (!event.is_active) return { queued: 0, inboxed: 0, skipped: 0, batches: 0 };
  const facts = factsOfSnapshot(deps.publicUrl, event);
  return fanOut(deps, message, event.event_id, ['confirmed'], (p) => ({
    type: 'event-reminder',
    recipient: p.attendee,
    links: { event_id: event.event_id },
    data: {
      name: p.attendee.name || p.attendee.email,
      event: facts,
      lead: leadText(event.lead_minutes),
      description: event.description,
      host_name: event.host.name,
      host_email: event.host.email,
    },
  }));
}
