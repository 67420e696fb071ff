import type { EventData } from '@convene/contracts';
import { MESSAGE_TYPES, type MessageType, normalizeEmail } from '../domain/message-types.ts';
import { deliveriesAwaitingAccount } from '../store/deliveries.ts';
import { addNotifications } from '../store/inbox.ts';
import type { FlowDeps } from './deps.ts';
import { inboxEntry } from './queue-notifications.ts';

/**
 * user.registered: what was mailed to the address before the account existed (an invitation to
 * an email nobody had signed up with yet) becomes inbox entries of the new account, dated when
 * it was sent, and is pushed to their open sockets. Keyed like every inbox entry, so an
 * invitation handled at the same moment (which looks again after writing) adds nothing twice.
 */
export async function attachInboxOnRegistration(deps: FlowDeps, user: EventData<'user.registered'>) {
  const waiting = await deliveriesAwaitingAccount(deps.store, normalizeEmail(user.email));
  const entries = waiting
    .filter((d) => (MESSAGE_TYPES as readonly string[]).includes(d.template))
    .map((d) =>
      inboxEntry(deps, {
        source: d.source.event_id,
        sourceType: d.source.type,
        type: d.template as MessageType,
        userId: user.user_id,
        data: d.data,
        links: d.inbox_links ?? {},
        at: d.created_at,
      }),
    );
  const added = await addNotifications(deps.store, entries);
  if (added.length) deps.announce(added);
  return { attached: added.length };
}
