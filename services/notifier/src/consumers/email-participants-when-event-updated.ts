import type { KeyedHandler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** Time or place changed: every confirmed and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventUpdated(deps: ConsumerDeps): KeyedHandler<'event.updated'> {
  return mailHandler<'event.updated'>(deps, 'email-participants-when-event-updated', tellParticipantsAboutEventChange);
}
