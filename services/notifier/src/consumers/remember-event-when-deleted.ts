import type { Handler } from '@convene/bus';
import { rememberEventFacts } from '../flows/remember-people-and-events.ts';
import { type ConsumerDeps, handler } from './deps.ts';

/** The event is gone; its last state stays so late messages can still name it. */
export function rememberEventWhenDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return handler<'event.deleted'>(deps, 'remember-event-when-deleted', (d, m) =>
    rememberEventFacts(d, { ...m.data, is_active: false }, m.time),
  );
}
