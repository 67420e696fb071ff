import type { DomainEvent } from '@convene/contracts';
import { findEventView } from '../store/projections.ts';
import type { FlowDeps } from './deps.ts';
import { factsOf } from './event-facts.ts';
import { queueNotifications } from './queue-notifications.ts';

/** feedback.submitted: tell the event's host (carried in the message; time and place from the projection). */
export async function tellHostAboutFeedback(deps: FlowDeps, message: DomainEvent<'feedback.submitted'>) {
  const feedback = message.data;
  const view = await findEventView(deps.store, feedback.event_id);
  return queueNotifications(deps, message, [
    {
      type: 'feedback-submitted',
      recipient: feedback.host,
      links: { event_id: feedback.event_id, feedback_id: feedback.feedback_id },
      data: {
        name: feedback.host.name || feedback.host.email,
        event: factsOf(deps.publicUrl, feedback.event_id, { title: feedback.event_title, start_time: null }, view),
        author_name: feedback.author.name || feedback.author.email,
        rating: feedback.rating,
        comment: feedback.comment,
      },
    },
  ]);
}
