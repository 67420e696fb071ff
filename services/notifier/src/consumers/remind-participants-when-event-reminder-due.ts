import type { KeyedHandler } from '@convene/bus';
import { remindParticipantsOfEvent } from '../flows/remind-participants-of-event.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** The event starts soon: a reminder with an .ics to every confirmed attendee. */
export function remindParticipantsWhenEventReminderDue(deps: ConsumerDeps): KeyedHandler<'event.reminder_due'> {
  return mailHandler<'event.reminder_due'>(
    deps,
    'remind-participants-when-event-reminder-due',
    remindParticipantsOfEvent,
  );
}
