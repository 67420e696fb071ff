import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  json,
  type OpenAPIHono,
  page,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  routeWithAliases,
  signedIn,
  signedInOrAnonymous,
  validationError,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { calendarFileName, organizerAddress, renderIcs } from '../domain/calendar.ts';
import { eventTimeZone } from '../domain/event-zone.ts';
import { eventNotFound } from '../errors.ts';
import { createEvent } from '../flows/create-event.ts';
import { deleteEvent } from '../flows/delete-event.ts';
import { findManagedEvent, findReadableEvent, roleIn } from '../flows/find-readable-event.ts';
import { type EventList, listEvents, listFilterFor } from '../flows/list-events.ts';
import { removeCohost } from '../flows/remove-cohost.ts';
import { updateEvent } from '../flows/update-event.ts';
import { causesOf, type HttpDeps, userOf } from './deps.ts';
import { changesFrom } from './event-input.ts';
import { EventBody, EventCreateBody, EventOut, ListQuery } from './schemas.ts';
import { eventView } from './views.ts';

const tags = ['events'];
const EventPage = page(EventOut, 'EventPage');

/** Events: list (filters, search, ordering, pages), upcoming, mine, CRUD, .ics, co-host removal. */
export function eventsRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const { flows } = deps;

  const answerPage = async (c: Context, list: EventList) => {
    const user = list === 'mine' ? requireUser(c) : userOf(c);
    const filter = listFilterFor(flows, list, c.req.query());
    const params = pageParams(c);
    const found = await listEvents(flows, { list, filter, user, page: params });
    const now = flows.now();
    const results = found.results.map((e) =>
      eventView(e, now, { withEmails: roleIn(e, user) !== null, defaultZone: flows.defaultTimeZone }),
    );
    return pageOf(c, { count: found.count, results }, params);
  };

  // Static paths before /{id}.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/upcoming',
      operationId: 'listUpcomingEvents',
      tags,
      security: signedInOrAnonymous,
      summary: 'Active events that have not started, soonest first (takes the list filters too)',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 404) },
    }),
    async (c) => c.json(await answerPage(c, 'upcoming'), 200),
  );

  routeWithAliases(
    app,
    createRoute({
      method: 'get',
      path: '/api/events/mine',
      operationId: 'listMyEvents',
      tags,
      security: signedIn,
      summary: 'Events the signed-in user hosts or co-hosts',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 401, 404) },
    }),
    async (c) => c.json(await answerPage(c, 'mine'), 200),
    [{ path: '/api/events/my_events', origin: 'legacy events API' }],
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events',
      operationId: 'listEvents',
      tags,
      security: signedInOrAnonymous,
      summary:
        'Public events and, signed in, the invite-only ones you host, attend or are invited to; filtered, searched, ordered, paginated',
      request: { query: ListQuery },
      responses: { 200: json(EventPage, 'A page of events.'), ...problemResponses(400, 404) },
    }),
    async (c) => c.json(await answerPage(c, 'all'), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events',
      operationId: 'createEvent',
      tags,
      security: signedIn,
      summary: `Create an event (the caller hosts it); at most ${flows.quota.limit} per user in any rolling window`,
      request: { body: { required: true, content: { 'application/json': { schema: EventCreateBody } } } },
      responses: { 201: json(EventOut, 'The new event.'), ...problemResponses(400, 401, 429) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { changes, errors } = changesFrom(c.req.valid('json'));
      if (Object.keys(errors).length) throw validationError(errors);
      const created = await createEvent(flows, { host: user, changes }, causesOf(c));
      return c.json(eventView(created, flows.now(), { withEmails: true, defaultZone: flows.defaultTimeZone }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}',
      operationId: 'getEvent',
      tags,
      security: signedInOrAnonymous,
      summary: 'One event (invite-only: host, co-hosts, participants and invitees)',
      request: { params: IdParam },
      responses: { 200: json(EventOut, 'The event.'), ...problemResponses(404) },
    }),
    async (c) => {
      const { event, role } = await findReadableEvent(flows, c.req.valid('param').id, userOf(c));
      return c.json(
        eventView(event, flows.now(), { withEmails: role !== null, defaultZone: flows.defaultTimeZone }),
        200,
      );
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/events/{id}',
        operationId: method === 'put' ? 'replaceEvent' : 'patchEvent',
        tags,
        security: signedIn,
        summary: method === 'put' ? 'Update every field (host or co-host)' : 'Update some fields (host or co-host)',
        request: {
          params: IdParam,
          // PUT replaces the event: it needs what a new event needs (updateEvent checks with full: true).
          body: {
            required: true,
            content: { 'application/json': { schema: method === 'put' ? EventCreateBody : EventBody } },
          },
        },
        responses: { 200: json(EventOut, 'The updated event.'), ...problemResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { event } = await findManagedEvent(flows, c.req.valid('param').id, requireUser(c));
        const { changes, errors } = changesFrom(c.req.valid('json'));
        if (Object.keys(errors).length) throw validationError(errors);
        const updated = await updateEvent(flows, { eventId: event._id, changes, full: method === 'put' }, causesOf(c));
        return c.json(
          eventView(updated.event, flows.now(), { withEmails: true, defaultZone: flows.defaultTimeZone }),
          200,
        );
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}',
      operationId: 'deleteEvent',
      tags,
      security: signedIn,
      summary: 'Delete an event (host only); participants are told through event.deleted',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted.' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { event } = await findManagedEvent(flows, c.req.valid('param').id, requireUser(c), { hostOnly: true });
      if (!(await deleteEvent(flows, event._id, causesOf(c)))) throw eventNotFound();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/calendar.ics',
      operationId: 'getEventCalendar',
      tags,
      security: signedInOrAnonymous,
      summary: "The event as an iCalendar file (the host's email only for the host and co-hosts)",
      request: { params: IdParam },
      responses: {
        200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
        ...problemResponses(404),
      },
    }),
    async (c) => {
      const { event, role } = await findReadableEvent(flows, c.req.valid('param').id, userOf(c));
      const ics = renderIcs(
        {
          id: event._id,
          title: event.title,
          description: event.description,
          location: event.location,
          start_time: event.start_time,
          end_time: event.end_time,
          timezone: eventTimeZone(event, flows.defaultTimeZone),
          host_name: event.host_name,
          organizer_email: organizerAddress({
            hostEmail: event.host_email,
            contactEmail: deps.calendarContactEmail,
            maySeeEmails: role !== null,
          }),
          is_active: event.is_active,
          updated_at: event.updated_at,
        },
        flows.now(),
      );
      return c.body(ics, 200, {
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="${calendarFileName(event.title)}"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}/cohosts/{cohost}',
      operationId: 'removeCohost',
      tags,
      security: signedIn,
      summary: 'Remove a co-host (host only); co-hosts are added by accepted cohost invitations',
      request: {
        params: IdParam.extend({
          cohost: z
            .string()
            .min(1)
            .max(320)
            .openapi({ param: { name: 'cohost', in: 'path' } }),
        }),
      },
      responses: { 204: { description: 'Removed.' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, cohost } = c.req.valid('param');
      const { event } = await findManagedEvent(flows, id, requireUser(c), { hostOnly: true });
      const removed = await removeCohost(flows, { eventId: event._id, key: cohost }, causesOf(c));
      if (!removed) throw eventNotFound();
      return c.body(null, 204);
    },
  );

  return app;
}
