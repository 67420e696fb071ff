import type { DomainEvent } from '@convene/contracts';
import { rememberRecipient } from '../store/projections.ts';
import type { FlowContext } from './context.ts';
import { queueNotifications } from './queue-notifications.ts';

/**
 * An admin created an inactive account (or asked for a new link): email the
 * set-password link. Security mail: always sent, no unsubscribe, no inbox (they cannot sign in yet).
 */
export async function sendSetPasswordLink(flows: FlowContext, message: DomainEvent<'user.invited'>) {
  const user = message.data;
  await rememberRecipient(flows.store, user, new Date(message.time));
  const name = `${user.first_name} ${user.last_name}`.trim() || user.username;
  return queueNotifications(flows, message, [
    {
      type: 'user-invited',
      recipient: { email: user.email, name, user_id: user.user_id },
      inbox: false,
      data: {
        name,
        username: user.username,
        set_password_url: user.set_password_url,
        expires_at: user.expires_at,
        invited_by: user.invited_by?.name ?? null,
        resend: user.resend,
      },
    },
  ]);
}
