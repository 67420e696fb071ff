import type { EventSnapshot } from '@convene/contracts';
import { eventNotFound } from '../errors.ts';
import { eventSnapshot } from '../store/announcements.ts';
import { findEvent } from '../store/event-queries.ts';
import { registrationOfKey } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

/**
 * GET /internal/events/:id/registrations/:userId — a user's registration for an event (null when
 * they have none), keyed by user id, with the event, for a service whose projection missed.
 */
export async function readRegistrationForAService(
  ctx: FlowContext,
  { eventId, userKey }: { eventId: string; userKey: string },
) {
  const event = await findEvent(ctx.store, eventId);
  if (!event) throw eventNotFound();
  const registration = await registrationOfKey(ctx.store, eventId, userKey);
  const snapshot: EventSnapshot = eventSnapshot(event, ctx.store.defaultTimeZone);
  return {
    event: snapshot,
    registration: registration
      ? {
          registration_id: registration._id,
          user_id: registration.user_id,
          status: registration.status,
          checked_in: registration.checked_in,
          invitation_id: registration.invitation_id,
          registered_at: registration.registered_at.toISOString(),
        }
      : null,
  };
}
