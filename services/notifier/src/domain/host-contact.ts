import { normaliseEmail } from '@convene/domain-kit';

/**
 * Whether a person may see the host's own address: the host and the co-hosts (as everywhere on the
 * platform); every other participant gets the configured organizer contact instead.
 */
export function maySeeHostEmail(
  person: { user_id: string | null; email: string },
  event: { host: { user_id: string | null; email: string }; cohost_ids: readonly string[] },
): boolean {
  if (person.user_id && (person.user_id === event.host.user_id || event.cohost_ids.includes(person.user_id))) {
    return true;
  }
  return normaliseEmail(person.email) === normaliseEmail(event.host.email);
}
