import type { Handler } from '@convene/bus';
import { followEventClosed } from '../flows/follow-event-changes.ts';
import { type ConsumerDeps, causedBy } from './deps.ts';

/** event.cancelled: pending invitations are cancelled (each announcing invitation.cancelled). */
export function cancelInvitationsWhenEventCancelled(deps: ConsumerDeps): Handler<'event.cancelled'> {
  return async function cancelForCancelledEvent(message, ctx) {
    const cancelled = await followEventClosed(
      deps,
      message.data,
      { at: new Date(message.time), deleted: false },
      causedBy(message),
    );
    ctx.logger.info({ event_id: message.data.event_id, cancelled }, 'event.cancelled handled');
  };
}

/** event.deleted: the projection keeps a tombstone (404 from now on), pending invitations are cancelled. */
export function cancelInvitationsWhenEventDeleted(deps: ConsumerDeps): Handler<'event.deleted'> {
  return async function cancelForDeletedEvent(message, ctx) {
    const cancelled = await followEventClosed(
      deps,
      message.data,
      { at: new Date(message.time), deleted: true },
      causedBy(message),
    );
    ctx.logger.info({ event_id: message.data.event_id, cancelled }, 'event.deleted handled');
  };
}
