import {
  type AppEnv,
  createRoute,
  createRouter,
  forbidden,
  IdParam,
  json,
  type OpenAPIHono,
  PageQuery,
  page,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  signedIn,
  signedInOrAnonymous,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { Messages } from '../domain/messages.ts';
import { exportParticipants } from '../flows/export-participants.ts';
import { findManagedEvent, findReadableEvent } from '../flows/find-readable-event.ts';
import { listParticipants, participantStatusChoices as statusChoices } from '../flows/list-participants.ts';
import { type HttpDeps, userOf } from './deps.ts';
import { ParticipantOut } from './schemas.ts';
import { participantView } from './views.ts';

const tags = ['participants'];
const ParticipantPage = page(ParticipantOut, 'ParticipantPage');
const ParticipantsQuery = z.object({
  status: z
    .string()
    .optional()
    .openapi({ description: `Host and co-hosts: one of ${statusChoices.join(', ')} (default confirmed).` }),
  ...PageQuery.shape,
});

/** Participants (everyone may see names; host and co-hosts emails), the legacy events API's attendees alias, the CSV export. */
export function participantsRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const { flows } = deps;
  const answer = async (c: Context, eventId: string, manager: boolean) => {
    const status = c.req.query('status');
    const found = await listParticipants(flows, { eventId, status, manager, page: () => pageParams(c) });
    const results = found.results.map(({ registration, position }) =>
      participantView(registration, { withEmail: manager, ...(position !== undefined ? { position } : {}) }),
    );
    return pageOf(c, { count: found.count, results }, found.page);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/participants',
      operationId: 'listParticipants',
      tags,
      security: signedInOrAnonymous,
      summary: 'Confirmed participants, paginated (host and co-hosts also see emails and other statuses)',
      request: { params: IdParam, query: ParticipantsQuery },
      responses: { 200: json(ParticipantPage, 'A page of participants.'), ...problemResponses(400, 403, 404) },
    }),
    async (c) => {
      const { event, role } = await findReadableEvent(flows, c.req.valid('param').id, userOf(c));
      return c.json(await answer(c, event._id, role !== null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/attendees',
      operationId: 'listAttendees',
      tags,
      deprecated: true,
      security: signedIn,
      summary:
        'Legacy events API: the attendees, for the organizer only (403 "Only the organizer can view attendees.")',
      request: { params: IdParam, query: ParticipantsQuery },
      responses: { 200: json(ParticipantPage, 'A page of attendees.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { event, role } = await findReadableEvent(flows, c.req.valid('param').id, user);
      if (role !== 'host') throw forbidden(Messages.onlyOrganizerAttendees);
      return c.json(await answer(c, event._id, true), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/participants.csv',
      operationId: 'exportParticipants',
      tags,
      security: signedIn,
      summary:
        'Every participant as CSV: name, email, status, registered_at, checked_in, checked_in_at, and the times in the event’s zone (host, co-host)',
      request: { params: IdParam },
      responses: {
        200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { event } = await findManagedEvent(flows, c.req.valid('param').id, requireUser(c), {
        message: Messages.onlyHostOrCohost,
      });
      const body = exportParticipants(flows, event);
      const name = `participants-${event._id}.csv`;
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    },
  );

  return app;
}
