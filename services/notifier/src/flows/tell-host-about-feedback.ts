import type { DomainEvent } from '@convene/contracts';
import { findEventView } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { factsOf } from './event-facts.ts';
import { queueNotifications } from './queue-notifications.ts';

/** feedback.submitted: tell the event's host (carried in the message; time and place from the projection). */
export async function tellHostAboutFeedback(flows: FlowContext, message: DomainEvent<'feedback.submitted'>) {
  const feedback = message.data;
  const view = await findEventView(flows.store, feedback.event_id);
  return queueNotifications(flows, message, [
    {
      type: 'feedback-submitted',
      recipient: feedback.host,
      links: { event_id: feedback.event_id, feedback_id: feedback.feedback_id },
      data: {
        name: feedback.host.name || feedback.host.email,
        event: factsOf(flows.publicUrl, feedback.event_id, { title: feedback.event_title, start_time: null }, view),
        author_name: feedback.author.name || feedback.author.email,
        rating: feedback.rating,
        comment: feedback.comment,
      },
    },
  ]);
}
