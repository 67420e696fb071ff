import type { Handler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The host cancelled: every confirmed and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventCancelled(deps: ConsumerDeps): Handler<'event.cancelled'> {
  return handler<'event.cancelled'>(deps, 'email-participants-when-event-cancelled', tellParticipantsAboutEventChange);
}
