import type { Handler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Time or place changed: every confirmed and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return handler<'event.updated'>(deps, 'email-participants-when-event-updated', tellParticipantsAboutEventChange);
}
