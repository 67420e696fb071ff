import { createRouter, notFound } from '@convene/kit';
import { eventSnapshot } from '../store/announcements.ts';
import { findEvent } from '../store/event-queries.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import type { HttpDeps } from './deps.ts';
import { EVENT_NOT_FOUND } from './deps.ts';

/**
 * Reads for other services whose projection missed (an event or a registration they have not
 * heard of yet: a message still in flight). Service to service only: the gateway never routes
 * /internal/*. Answers carry the same shapes as the domain events, so a projection can store them
 * as if the message had arrived.
 */
export function internalRoutes(deps: HttpDeps) {
  const routes = createRouter();

  routes.get('/internal/events/:id', async (c) => {
    const event = await findEvent(deps.store, c.req.param('id'));
    if (!event) throw notFound('Not found.', EVENT_NOT_FOUND);
    return c.json({ event: eventSnapshot(event), version: event.version });
  });

  /** A user's registration for an event (null when they have none), keyed by user id. */
  routes.get('/internal/events/:id/registrations/:userId', async (c) => {
    const eventId = c.req.param('id');
    const event = await findEvent(deps.store, eventId);
    if (!event) throw notFound('Not found.', EVENT_NOT_FOUND);
    const registration = await deps.store.registrations
      .findOne({ event_id: eventId, user_key: c.req.param('userId') }, { outbox: 0, txn: 0, done_txns: 0 })
      .lean<RegistrationDoc>();
    return c.json({
      event: eventSnapshot(event),
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
    });
  });

  return routes;
}
