import { validationError } from '@convene/kit';
import { OPTIONAL_CATEGORIES } from '../domain/message-types.ts';
import { readUnsubscribeToken } from '../domain/unsubscribe-token.ts';
import { invalidUnsubscribeLink } from '../errors.ts';
import { setUserPreferences, unsubscribeEmail, userPreferences } from '../store/preferences.ts';
import type { FlowContext } from './context.ts';

export async function preferencesOf(flows: FlowContext, userId: string) {
  const optedOut = await userPreferences(flows.store, userId);
  return { opted_out: optedOut, categories: [...OPTIONAL_CATEGORIES] };
}

/** A signed-in user's settings: the categories they do not want by email (security mail is not one). */
export async function changePreferences(flows: FlowContext, userId: string, optedOut: string[]) {
  const unknown = optedOut.filter((c) => !(OPTIONAL_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length) {
    throw validationError({
      opted_out: [
        `Unknown or mandatory categories: ${unknown.join(', ')}. Choose from ${OPTIONAL_CATEGORIES.join(', ')}.`,
      ],
    });
  }
  await setUserPreferences(flows.store, userId, optedOut, flows.now());
  return preferencesOf(flows, userId);
}

/** The link in List-Unsubscribe (and in the footer): opts that address out of that category. */
export async function unsubscribeByLink(flows: FlowContext, secret: string, token: string) {
  const read = readUnsubscribeToken(secret, token);
  if (!read || !(OPTIONAL_CATEGORIES as readonly string[]).includes(read.category)) {
    throw invalidUnsubscribeLink();
  }
  await unsubscribeEmail(flows.store, read.email, read.category, flows.now());
  return read;
}
