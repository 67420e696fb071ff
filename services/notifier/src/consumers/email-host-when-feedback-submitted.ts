import type { Handler } from '@convene/bus';
import { tellHostAboutFeedback } from '../flows/tell-host-about-feedback.ts';
import type { ConsumerDeps } from './deps.ts';

/** An attendee left feedback: tell the event's host. */
export function emailHostWhenFeedbackSubmitted(deps: ConsumerDeps): Handler<'feedback.submitted'> {
  return async function emailHost(message, ctx) {
    const result = await tellHostAboutFeedback(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-host-when-feedback-submitted handled',
    );
  };
}
