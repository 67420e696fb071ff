import {
  type AppEnv,
  createRoute,
  createRouter,
  forbidden,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  validationError,
  z,
} from '@convene/kit';
import type { Context } from 'hono';
import { csvRow } from '../domain/csv.ts';
import { Messages } from '../domain/messages.ts';
import type { RegistrationStatus } from '../domain/registration-states.ts';
import { listParticipants, participantsCursor } from '../store/registration-queries.ts';
import { type HttpDeps, managedEvent, readableEvent } from './deps.ts';
import { IdParam, json, ParticipantOut, page } from './schemas.ts';
import { participantView } from './views.ts';

const tags = ['participants'];
const anyone: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }, {}];
const signedIn: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
const ParticipantPage = page(ParticipantOut, 'ParticipantPage');
const statusChoices = ['confirmed', 'waitlisted', 'offered', 'cancelled', 'all'] as const;
const ParticipantsQuery = z.object({
  status: z
    .string()
    .optional()
    .openapi({ description: `Host and co-hosts: one of ${statusChoices.join(', ')} (default confirmed).` }),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

function statusesFrom(raw: string | undefined, manager: boolean): RegistrationStatus[] {
  if (!raw) return ['confirmed'];
  if (!(statusChoices as readonly string[]).includes(raw)) {
    throw validationError({ status: [`Select a valid choice. ${raw} is not one of: ${statusChoices.join(', ')}.`] });
  }
  if (!manager && raw !== 'confirmed')
    throw forbidden('Only the host or a co-host can see the waitlist and cancellations.');
  return raw === 'all' ? ['confirmed', 'offered', 'waitlisted', 'cancelled'] : [raw as RegistrationStatus];
}

/** Participants (everyone may see names; host and co-hosts emails), the seed 003 attendees alias, the CSV export. */
export function participantsRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  const answer = async (c: Context, eventId: string, manager: boolean) => {
    const statuses = statusesFrom(c.req.query('status'), manager);
    const params = pageParams(c);
    const found = await listParticipants(deps.store, eventId, statuses, params);
    const inLine = statuses.length === 1 && statuses[0] === 'waitlisted';
    const results = found.results.map((reg, i) =>
      participantView(reg, { withEmail: manager, ...(inLine ? { position: params.skip + i + 1 } : {}) }),
    );
    return pageOf(c, { count: found.count, results }, params);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/participants',
      operationId: 'listParticipants',
      tags,
      security: anyone,
      summary: 'Confirmed participants, paginated (host and co-hosts also see emails and other statuses)',
      request: { params: IdParam, query: ParticipantsQuery },
      responses: { 200: json(ParticipantPage, 'A page of participants.'), ...problemResponses(400, 403, 404) },
    }),
    async (c) => {
      const { event, role } = await readableEvent(c, deps, c.req.valid('param').id);
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
      summary: 'Seed 003: the attendees, for the organizer only (403 "Only the organizer can view attendees.")',
      request: { params: IdParam, query: ParticipantsQuery },
      responses: { 200: json(ParticipantPage, 'A page of attendees.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      requireUser(c);
      const { event, role } = await readableEvent(c, deps, c.req.valid('param').id);
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
      summary: 'Every participant as CSV: name, email, status, registered_at, checked_in (host, co-host)',
      request: { params: IdParam },
      responses: {
        200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { event } = await managedEvent(c, deps, c.req.valid('param').id, { message: Messages.onlyHostOrCohost });
      const cursor = participantsCursor(deps.store, event._id);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(csvRow(['name', 'email', 'status', 'registered_at', 'checked_in'])));
        },
        async pull(controller) {
          const reg = await cursor.next();
          if (!reg) {
            controller.close();
            return;
          }
          controller.enqueue(
            encoder.encode(
              csvRow([reg.user_name, reg.user_email, reg.status, reg.registered_at.toISOString(), reg.checked_in]),
            ),
          );
        },
        async cancel() {
          await cursor.close();
        },
      });
      const name = `participants-${event._id}.csv`;
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      });
    },
  );

  return app;
}
