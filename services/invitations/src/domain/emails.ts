/** Addresses as keys: trimmed and lower-cased, so Ann@X.org and ann@x.org are one invitee. */
export function normaliseEmail(text: string): string {
  return text.trim().toLowerCase();
}

// Deliberately plain: one @, a dot in the domain, no spaces. The mail server has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text);
}

/** Events keys people without an account by `email:<address>` (its co-host ids and registrations use it). */
export function emailKey(email: string): string {
  return `email:${normaliseEmail(email)}`;
}
