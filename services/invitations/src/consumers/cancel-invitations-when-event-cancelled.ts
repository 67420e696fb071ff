import type { Handler } from '@convene/bus';
import { causedByMessage } from '@convene/domain-kit';
import { followEventClosed } from '../flows/follow-event-closed.ts';
import type { ConsumerDeps } from './deps.ts';

/** event.cancelled: pending invitations are cancelled (each announcing invitation.cancelled). */
export function cancelInvitationsWhenEventCancelled(deps: ConsumerDeps): Handler<'event.cancelled'> {
  return async function cancelForCancelledEvent(message, ctx) {
    const cancelled = await followEventClosed(
      deps.flows,
      message.data,
      { at: new Date(message.time), deleted: false },
      causedByMessage(message),
    );
    ctx.logger.info({ event_id: message.data.event_id, cancelled }, 'event.cancelled handled');
  };
}
