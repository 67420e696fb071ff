import type { EventData } from '@convene/contracts';
import { rememberEvent, rememberRecipient } from '../store/projections.ts';
import { attachInboxOnRegistration } from './attach-inbox-on-registration.ts';
import type { FlowContext } from './context.ts';

/** user.*: who a user is, for addressing, greeting and their inbox (never a call to auth). */
export function rememberUser(
  flows: FlowContext,
  user: EventData<'user.updated'> | EventData<'user.registered'>,
  time: string,
) {
  return rememberRecipient(flows.store, user, new Date(time));
}

/** event.*: the event as it is now (invitation and feedback messages carry only its id and title). */
export function rememberEventFacts(flows: FlowContext, event: EventData<'event.created'>, time: string) {
  return rememberEvent(flows.store, event, new Date(time));
}

/**
 * user.registered: the new account, for addressing and the inbox; and what was mailed to its
 * address before it existed (an invitation to an email nobody had signed up with) joins its inbox.
 */
export async function rememberNewAccount(flows: FlowContext, user: EventData<'user.registered'>, time: string) {
  await rememberUser(flows, user, time);
  return attachInboxOnRegistration(flows, user);
}

/** event.deleted: the event's last state stays (inactive), so late messages can still name it. */
export function rememberDeletedEvent(flows: FlowContext, event: EventData<'event.deleted'>, time: string) {
  return rememberEvent(flows.store, { ...event, is_active: false }, new Date(time));
}
