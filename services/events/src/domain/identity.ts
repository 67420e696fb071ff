import { emailKey } from '@convene/domain-kit';

/**
 * People are keyed by user id; an invitee who accepted without an account is keyed by email
 * (domain-kit's personKey) until they have one. A signed-in user is whoever either key names.
 */
export function viewerKeys(user: { id: string; email: string }): string[] {
  return user.email ? [user.id, emailKey(user.email)] : [user.id];
}
