import type { Handler } from '@convene/bus';
import { tellHostAboutFeedback } from '../flows/tell-host-about-feedback.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** An attendee left feedback: tell the event's host. */
export function emailHostWhenFeedbackSubmitted(deps: ConsumerDeps): Handler<'feedback.submitted'> {
  return handler<'feedback.submitted'>(deps, 'email-host-when-feedback-submitted', tellHostAboutFeedback);
}
