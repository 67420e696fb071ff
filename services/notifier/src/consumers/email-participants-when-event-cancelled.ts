import type { KeyedHandler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The host cancelled: every confirmed and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventCancelled(deps: ConsumerDeps): KeyedHandler<'event.cancelled'> {
  return mailHandler<'event.cancelled'>(
    deps,
    'email-participants-when-event-cancelled',
    tellParticipantsAboutEventChange,
  );
}
