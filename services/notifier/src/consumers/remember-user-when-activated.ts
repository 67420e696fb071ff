import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The account is active (e.g. after set-password). */
export function rememberUserWhenActivated(deps: ConsumerDeps): Handler<'user.activated'> {
  return handler<'user.activated'>(deps, 'remember-user-when-activated', (d, m) => rememberUser(d, m.data, m.time));
}
