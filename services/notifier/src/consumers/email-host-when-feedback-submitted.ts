import type { KeyedHandler } from '@convene/bus';
import { tellHostAboutFeedback } from '../flows/tell-host-about-feedback.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** An attendee left feedback: tell the event's host. */
export function emailHostWhenFeedbackSubmitted(deps: ConsumerDeps): KeyedHandler<'feedback.submitted'> {
  return mailHandler<'feedback.submitted'>(deps, 'email-host-when-feedback-submitted', tellHostAboutFeedback);
}
