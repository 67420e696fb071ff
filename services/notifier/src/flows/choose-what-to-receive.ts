import { validationError } from '@convene/kit';
import { OPTIONAL_CATEGORIES } from '../domain/message-types.ts';
import { readUnsubscribeToken } from '../domain/unsubscribe-token.ts';
import { invalidUnsubscribeLink } from '../errors.ts';
import { setUserPreferences, unsubscribeEmail, userPreferences } from '../store/preferences.ts';
import type { Store } from '../store/store.ts';

export async function preferencesOf(store: Store, userId: string) {
  const optedOut = await userPreferences(store, userId);
  return { opted_out: optedOut, categories: [...OPTIONAL_CATEGORIES] };
}

/** A signed-in user's settings: the categories they do not want by email (security mail is not one). */
export async function changePreferences(store: Store, userId: string, optedOut: string[], now: Date) {
  const unknown = optedOut.filter((c) => !(OPTIONAL_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length) {
    throw validationError({
      opted_out: [
        `Unknown or mandatory categories: ${unknown.join(', ')}. Choose from ${OPTIONAL_CATEGORIES.join(', ')}.`,
      ],
    });
  }
  await setUserPreferences(store, userId, optedOut, now);
  return preferencesOf(store, userId);
}

/** The link in List-Unsubscribe (and in the footer): opts that address out of that category. */
export async function unsubscribeByLink(store: Store, secret: string, token: string, now: Date) {
  const read = readUnsubscribeToken(secret, token);
  if (!read || !(OPTIONAL_CATEGORIES as readonly string[]).includes(read.category)) {
    throw invalidUnsubscribeLink();
  }
  await unsubscribeEmail(store, read.email, read.category, now);
  return read;
}
