import type { Handler } from '@convene/bus';
import { forgetDeletedEvent } from '../flows/forget-deleted-event.ts';
import type { ConsumerDeps } from './deps.ts';

/** The event is gone at events: its feedback, summary and registrations go here too. */
export function deleteFeedbackWhenEventDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return async function deleteFeedback(message) {
    await forgetDeletedEvent(deps.flows, message.data, new Date(message.time));
  };
}
