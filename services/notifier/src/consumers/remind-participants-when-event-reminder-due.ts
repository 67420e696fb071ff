import type { Handler } from '@convene/bus';
import { remindParticipantsOfEvent } from '../flows/remind-participants-of-event.ts';
import type { ConsumerDeps } from './deps.ts';

/** The event starts soon: a reminder with an .ics to every confirmed attendee. */
export function remindParticipantsWhenEventReminderDue(deps: ConsumerDeps): Handler<'event.reminder_due'> {
  return async function remindParticipants(message, ctx) {
    const result = await remindParticipantsOfEvent(deps.flows, message);
    ctx.logger.debug(
      { event_id: message.id, type: message.type, result },
      'remind-participants-when-event-reminder-due handled',
    );
  };
}
