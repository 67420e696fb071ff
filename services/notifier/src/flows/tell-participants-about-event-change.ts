import type { DomainEvent } from '@convene/contracts';
import { describeChanges, noticeableChanges } from '../domain/event-changes.ts';
import type { ParticipantDoc } from '../store/projection-models.ts';
import { participantsBatch, rememberEvent } from '../store/projections.ts';
import type { FlowDeps } from './deps.ts';
import { factsOfSnapshot } from './event-facts.ts';
import { type Notice, queueNotifications } from './queue-notifications.ts';

/**
 * event.updated (time or place changed) / event.cancelled: every confirmed, offered and waitlisted
 * person gets an email. The participants are read and queued FANOUT_BATCH at a time (keyset pages
 * on the registration id), so a large event never becomes one giant message or one giant write.
 * A redelivery after a crash half-way re-runs the batches; the keys written before are skipped.
 */
export async function tellParticipantsAboutEventChange(
  deps: FlowDeps,
  message: DomainEvent<'event.updated'> | DomainEvent<'event.cancelled'>,
) {
  const event = message.data;
  await rememberEvent(deps.store, event, new Date(message.time));
  let build: (p: ParticipantDoc) => Notice;
  const facts = factsOfSnapshot(deps.publicUrl, event);
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
  return fanOut(deps, message, event.event_id, ['confirmed', 'offered', 'waitlisted'], build);
}

export async function fanOut(
  deps: FlowDeps,
  message: DomainEvent,
  eventId: string,
  statuses: ParticipantDoc['status'][],
  build: (p: ParticipantDoc) => Notice,
) {
  const total = { queued: 0, inboxed: 0, skipped: 0, batches: 0 };
  let after: string | null = null;
  for (;;) {
    const batch = await participantsBatch(deps.store, eventId, statuses, after, deps.fanoutBatch);
    if (batch.length === 0) break;
    const result = await queueNotifications(deps, message, batch.map(build));
    total.queued += result.queued;
    total.inboxed += result.inboxed;
    total.skipped += result.skipped;
    total.batches++;
    after = batch[batch.length - 1]!._id;
    if (batch.length < deps.fanoutBatch) break;
  }
  return total;
}
