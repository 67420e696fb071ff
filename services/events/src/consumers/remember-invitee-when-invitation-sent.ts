import type { Handler } from '@convene/bus';
import { rememberInvitee } from '../flows/remember-invitee.ts';
import type { ConsumerDeps } from './deps.ts';

/** Invitees may read invite-only events: keep a projection of who was invited (idempotent upsert). */
export function rememberInviteeWhenInvitationSent(deps: ConsumerDeps): Handler<'invitation.sent'> {
  return async function rememberInviteeOfInvitation(message) {
    await rememberInvitee(deps.flows, message.data);
  };
}
