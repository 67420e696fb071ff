import type { DomainEvent } from '@convene/contracts';
import { organizerAddress } from '@convene/domain-kit';
import { maySeeHostEmail } from '../domain/host-contact.ts';
import { rememberEvent } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOfSnapshot } from './event-facts.ts';
import { fanOut } from './tell-participants-about-event-change.ts';

export function leadText(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? 'in 24 hours' : `in ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'in 1 hour' : `in ${minutes / 60} hours`;
  return `in ${minutes} minutes`;
}

/**
 * event.reminder_due: every confirmed attendee gets a reminder with the event as an `.ics`
 * attachment. The host's address goes only to the host and co-hosts (in the text and as the
 * calendar's organizer); everyone else sees the configured organizer contact.
 */
export async function remindParticipantsOfEvent(flows: FlowContext, message: DomainEvent<'event.reminder_due'>) {
  const event = message.data;
  await rememberEvent(flows.store, event, new Date(message.time));
  if (!event.is_active) return { queued: 0, inboxed: 0, skipped: 0, batches: 0 };
  const facts = factsOfSnapshot(flows.publicUrl, event);
  return fanOut(flows, message, event.event_id, ['confirmed'], (p) => ({
    type: 'event-reminder',
    recipient: p.attendee,
    links: { event_id: event.event_id },
    data: {
      name: p.attendee.name || p.attendee.email,
      event: facts,
      lead: leadText(event.lead_minutes),
      description: event.description,
      host_name: event.host.name,
      organizer_email: organizerAddress({
        hostEmail: event.host.email,
        contactEmail: flows.contactEmail,
        maySeeEmails: maySeeHostEmail(p.attendee, event),
      }),
    },
  }));
}
