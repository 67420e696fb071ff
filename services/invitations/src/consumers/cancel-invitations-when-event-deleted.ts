import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { followEventClosed } from '../flows/follow-event-closed.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.deleted: the projection keeps a tombstone (404 from now on), pending invitations are cancelled. */
export function cancelInvitationsWhenEventDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return async function cancelForDeletedEvent(message, ctx) {
    const cancelled = await followEventClosed(
      deps.flows,
      message.data,
      { at: new Date(message.time), deleted: true },
      causedByMessage(message),
    );
    ctx.logger.info({ event_id: message.data.event_id, cancelled }, 'event.deleted handled');
  };
}
