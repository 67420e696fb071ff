import { createRouter } from '@convene/kit';
import { readEventForAService } from '../flows/read-event-for-a-service.ts';
import { readRegistrationForAService } from '../flows/read-registration-for-a-service.ts';
import type { HttpDeps } from './deps.ts';

/**
 * Reads for other services whose projection missed (an event or a registration they have not
 * heard of yet: a message still in flight). Service to service only: the gateway never routes
 * /internal/*. Answers carry the same shapes as the domain events, so a projection can store them
 * as if the message had arrived.
 */
export function internalRoutes(deps: HttpDeps) {
  const routes = createRouter();

  routes.get('/internal/events/:id', async (c) => c.json(await readEventForAService(deps.flows, c.req.param('id'))));

  /** A user's registration for an event (null when they have none), keyed by user id. */
  routes.get('/internal/events/:id/registrations/:userId', async (c) =>
    c.json(
      await readRegistrationForAService(deps.flows, { eventId: c.req.param('id'), userKey: c.req.param('userId') }),
    ),
  );

  return routes;
}
