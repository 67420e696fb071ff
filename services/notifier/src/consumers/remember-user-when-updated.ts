import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** Profile, email or status changed: mail goes to the new address. */
export function rememberUserWhenUpdated(deps: ConsumerDeps): Handler<'user.updated'> {
  return handler<'user.updated'>(deps, 'remember-user-when-updated', (d, m) => rememberUser(d, m.data, m.time));
}
