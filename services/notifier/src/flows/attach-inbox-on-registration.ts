import type { EventData } from '@convene/contracts';
import { normaliseEmail } from '@convene/domain-kit';
import { MESSAGE_TYPES, type MessageType } from '../domain/message-types.ts';
import { deliveriesAwaitingAccount } from '../store/deliveries.ts';
import { addNotifications } from '../store/inbox.ts';
import type { FlowContext } from './context.ts';
import { inboxEntry } from './queue-notifications.ts';

/**
 * user.registered: what was mailed to the address before the account existed (an invitation to
 * an email nobody had signed up with yet) becomes inbox entries of the new account, dated when
 * it was sent, and is pushed to their open sockets. Keyed like every inbox entry, so an
 * invitation handled at the same moment (which looks again after writing) adds nothing twice.
 */
export async function attachInboxOnRegistration(flows: FlowContext, user: EventData<'user.registered'>) {
  const waiting = await deliveriesAwaitingAccount(flows.store, normaliseEmail(user.email));
  const entries = waiting
    .filter((d) => (MESSAGE_TYPES as readonly string[]).includes(d.template))
    .map((d) =>
      inboxEntry(flows, {
        source: d.source.event_id,
        sourceType: d.source.type,
        type: d.template as MessageType,
        userId: user.user_id,
        data: d.data,
        links: d.inbox_links ?? {},
        at: d.created_at,
      }),
    );
  const added = await addNotifications(flows.store, entries);
  if (added.length) flows.announce(added);
  return { attached: added.length };
}
