import type { Handler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import type { ConsumerDeps } from './deps.ts';

/** Time or place changed: every confirmed, offered and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventUpdated(deps: ConsumerDeps): Handler<'event.updated'> {
  return async function emailParticipants(message, ctx) {
    const result = await tellParticipantsAboutEventChange(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-participants-when-event-updated handled',
    );
  };
}
