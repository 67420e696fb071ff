/** Addresses as keys: trimmed and lower-cased, so Ann@X.org and ann@x.org are one person. */
export function normaliseEmail(text: string): string {
  return text.trim().toLowerCase();
}

// Deliberately plain: one @, a dot in the domain, no spaces. The mail server has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text);
}

/**
 * The cross-service key of a person without an account: `email:<normalised address>`. Events keys
 * co-hosts and registrations by it, feedback keys attendance by it, the notifier keys preferences by it.
 */
export function emailKey(email: string): string {
  return `email:${normaliseEmail(email)}`;
}

/** A person's key: their user id, or their address key until they have an account. */
export function personKey(person: { user_id: string | null | undefined; email: string }): string {
  return person.user_id ?? emailKey(person.email);
}
