/**
 * People are keyed by user id; an invitee who accepted without an account is keyed by email
 * until they have one. A signed-in user is whoever either key names.
 */
export function userKeyOf(person: { user_id: string | null; email: string }): string {
  return person.user_id ?? emailKey(person.email);
}

export function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}

export function viewerKeys(user: { id: string; email: string }): string[] {
  return user.email ? [user.id, emailKey(user.email)] : [user.id];
}
