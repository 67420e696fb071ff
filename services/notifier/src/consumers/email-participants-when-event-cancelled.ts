import type { Handler } from '@convene/bus';
import { tellParticipantsAboutEventChange } from '../flows/tell-participants-about-event-change.ts';
import type { ConsumerDeps } from './deps.ts';

/** The host cancelled: every confirmed, offered and waitlisted person hears of it, in batches. */
export function emailParticipantsWhenEventCancelled(deps: ConsumerDeps): Handler<'event.cancelled'> {
  return async function emailParticipants(message, ctx) {
    const result = await tellParticipantsAboutEventChange(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'email-participants-when-event-cancelled handled',
    );
  };
}
