import { type Handler, once } from '@convene/bus';
import { forgetDeletedEvent } from '../flows/forget-deleted-event.ts';
import { type ConsumerDeps, consumerKey } from './deps.ts';

/** The event is gone at events: its feedback, summary and registrations go here too. */
export function deleteFeedbackWhenEventDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return async function deleteFeedbackHandler(message, ctx) {
    await once(deps.store.connection, consumerKey('delete-feedback-when-event-deleted'), message.id, async () => {
      const { feedback } = await forgetDeletedEvent(deps.store, message.data, new Date(message.time));
      ctx.logger.info({ event_id: message.data.event_id, feedback }, 'event.deleted: feedback removed');
    });
  };
}
