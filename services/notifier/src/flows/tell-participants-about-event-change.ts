import type { DomainEvent } from '@convene/contracts';
import { describeChanges, noticeableChanges } from '../domain/event-changes.ts';
import type { ParticipantDoc } from '../store/projection-models.ts';
import { participantsBatch, rememberEvent } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOfSnapshot } from './event-facts.ts';
import { type Notice, queueNotifications } from './queue-notifications.ts';

/**
 * event.updated (time or place changed) / event.cancelled: every confirmed, offered and waitlisted
 * person gets an email. The participants are read and queued FANOUT_BATCH at a time (keyset pages
 * on the registration id), so a large event never becomes one giant message or one giant write.
 * A redelivery after a crash half-way re-runs the batches; the keys written before are skipped.
 */
export async function tellParticipantsAboutEventChange(
  flows: FlowContext,
  message: DomainEvent<'event.updated'> | DomainEvent<'event.cancelled'>,
) {
  const event = message.data;
  await rememberEvent(flows.store, event, new Date(message.time));
  let build: (p: ParticipantDoc) => Notice;
  const facts = factsOfSnapshot(flows.publicUrl, event);
  const links = { event_id: event.event_id };
  if (message.type === 'event.updated') {
    const changes = noticeableChanges(message.data.changed);
    if (changes.length === 0) return { queued: 0, inboxed: 0, skipped: 0, batches: 0 };
    build = (p) => ({
      type: 'event-updated',
      recipient: p.attendee,
      links,
      data: { name: p.attendee.name || p.attendee.email, event: facts, changes: describeChanges(changes) },
    });
  } else {
    const reason = message.data.reason;
    build = (p) => ({
      type: 'event-cancelled',
      recipient: p.attendee,
      links,
      data: { name: p.attendee.name || p.attendee.email, event: facts, reason },
    });
  }
  return fanOut(flows, message, event.event_id, ['confirmed', 'offered', 'waitlisted'], build);
}

export async function fanOut(
  flows: FlowContext,
  message: DomainEvent,
  eventId: string,
  statuses: ParticipantDoc['status'][],
  build: (p: ParticipantDoc) => Notice,
) {
  const total = { queued: 0, inboxed: 0, skipped: 0, batches: 0 };
  let after: string | null = null;
  for (;;) {
    const batch = await participantsBatch(flows.store, eventId, statuses, after, flows.fanoutBatch);
    if (batch.length === 0) break;
    const result = await queueNotifications(flows, message, batch.map(build));
    total.queued += result.queued;
    total.inboxed += result.inboxed;
    total.skipped += result.skipped;
    total.batches++;
    after = batch[batch.length - 1]!._id;
    if (batch.length < flows.fanoutBatch) break;
  }
  return total;
}
