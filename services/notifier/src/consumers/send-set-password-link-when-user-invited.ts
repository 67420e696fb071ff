import type { KeyedHandler } from '@convene/bus';
import { sendSetPasswordLink } from '../flows/send-set-password-link.ts';
import { type ConsumerDeps, mailHandler } from './deps.ts';

/** Seed 002: email the set-password link of an admin-created account (or its resend). */
export function sendSetPasswordLinkWhenUserInvited(deps: ConsumerDeps): KeyedHandler<'user.invited'> {
  return mailHandler<'user.invited'>(deps, 'send-set-password-link-when-user-invited', sendSetPasswordLink);
}
