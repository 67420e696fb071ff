import type { Handler } from '@convene/bus';
import { rememberUser } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The account is disabled; its status is kept with the rest. */
export function rememberUserWhenDeactivated(deps: ConsumerDeps): Handler<'user.deactivated'> {
  return handler<'user.deactivated'>(deps, 'remember-user-when-deactivated', (d, m) => rememberUser(d, m.data, m.time));
}
