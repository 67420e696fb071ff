import {
  type AppEnv,
  badRequest,
  createRoute,
  createRouter,
  IdParam,
  json,
  type OpenAPIHono,
  problemResponses,
  requireUser,
  signedIn,
  validationError,
  zodErrorsToFields,
} from '@convene/kit';
import type { Context } from 'hono';
import { viewerKeys } from '../domain/identity.ts';
import { Messages } from '../domain/messages.ts';
import { refusal } from '../errors.ts';
import { acceptSeatOffer } from '../flows/accept-seat-offer.ts';
import { cancelRegistration } from '../flows/cancel-registration.ts';
import { checkInAttendee } from '../flows/check-in-attendee.ts';
import { findManagedEvent, findReadableEvent } from '../flows/find-readable-event.ts';
import { leaveWaitlist } from '../flows/leave-waitlist.ts';
import { registerForEvent } from '../flows/register-for-event.ts';
import { causesOf, type HttpDeps } from './deps.ts';
import { Detail, ParticipantOut, RegisterBody, RegistrationOut } from './schemas.ts';
import { participantView, registrationView } from './views.ts';

const tags = ['registrations'];

/**
 * The register body is optional (legacy events API clients post nothing); an empty body is accepted even
 * with a JSON content type, which the generic validator would refuse.
 */
async function registerBody(c: Context): Promise<{ waitlist: boolean }> {
  const text = (await c.req.text()).trim();
  if (!text) return { waitlist: false };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Malformed JSON in request body: ${(err as Error).message}.`, 'MALFORMED_JSON');
  }
  const parsed = RegisterBody.safeParse(raw);
  if (!parsed.success) throw validationError(zodErrorsToFields(parsed.error, raw));
  return { waitlist: parsed.data.waitlist ?? false };
}

/** Register / unregister / waitlist / offers / check-in. */
export function registrationRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const { flows } = deps;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/register',
      operationId: 'registerForEvent',
      tags,
      security: signedIn,
      summary: 'Register the signed-in user; body {"waitlist": true} joins the waitlist when the event is full',
      description:
        'Optional JSON body `{"waitlist": boolean}`. 400 details: "You are already registered for this event.", ' +
        '"This event is full.", "Cannot register for past events.", "This event is not active."',
      request: { params: IdParam },
      responses: {
        201: json(RegistrationOut, 'The registration (confirmed or waitlisted).'),
        ...problemResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const body = await registerBody(c);
      // No event read up front: the flow reads it only when the move alone cannot answer.
      const outcome = await registerForEvent(
        flows,
        {
          eventId: c.req.valid('param').id,
          person: { user_id: user.id, email: user.email, name: user.name || user.username },
          ...body,
        },
        causesOf(c),
      );
      if (!outcome.ok) throw refusal(outcome.reason);
      return c.json(registrationView(outcome.registration, outcome.position), 201);
    },
  );

  for (const method of ['post', 'delete'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/events/{id}/unregister',
        operationId: method === 'post' ? 'unregisterFromEvent' : 'unregisterFromEventByDelete',
        tags,
        security: signedIn,
        summary:
          'Give up a seat, an offer or a place on the waitlist (POST as the legacy events API, DELETE as the legacy participation API)',
        request: { params: IdParam },
        responses: { 200: json(Detail, 'Unregistered.'), ...problemResponses(400, 401, 404, 409) },
      }),
      async (c) => {
        const user = requireUser(c);
        const { event } = await findReadableEvent(flows, c.req.valid('param').id, user);
        const outcome = await cancelRegistration(flows, { event, userKeys: viewerKeys(user) }, causesOf(c));
        if (!outcome.ok) throw refusal(outcome.reason);
        return c.json({ detail: Messages.unregistered }, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}/waitlist',
      operationId: 'leaveWaitlist',
      tags,
      security: signedIn,
      summary: 'Leave the waitlist (or decline a held offer)',
      request: { params: IdParam },
      responses: { 200: json(Detail, 'Left the waitlist.'), ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { event } = await findReadableEvent(flows, c.req.valid('param').id, user);
      const outcome = await leaveWaitlist(flows, { event, userKeys: viewerKeys(user) }, causesOf(c));
      if (!outcome.ok) throw refusal(outcome.reason);
      return c.json({ detail: Messages.leftWaitlist }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/offer/accept',
      operationId: 'acceptSeatOffer',
      tags,
      security: signedIn,
      summary: 'Confirm the seat held for you (events in offer mode)',
      request: { params: IdParam },
      responses: { 200: json(RegistrationOut, 'Confirmed.'), ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { event } = await findReadableEvent(flows, c.req.valid('param').id, user);
      const outcome = await acceptSeatOffer(flows, { event, userKeys: viewerKeys(user) }, causesOf(c));
      if (!outcome.ok) throw refusal(outcome.reason);
      return c.json(registrationView(outcome.registration), 200);
    },
  );

  for (const method of ['post', 'delete'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/events/{id}/registrations/{reg}/check-in',
        operationId: method === 'post' ? 'checkIn' : 'undoCheckIn',
        tags,
        security: signedIn,
        summary:
          method === 'post'
            ? 'Mark a confirmed registration as attended (host, co-host)'
            : 'Undo a check-in (host, co-host)',
        request: {
          params: IdParam.extend({ reg: IdParam.shape.id.openapi({ param: { name: 'reg', in: 'path' } }) }),
        },
        responses: { 200: json(ParticipantOut, 'The registration.'), ...problemResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id, reg } = c.req.valid('param');
        const { event } = await findManagedEvent(flows, id, requireUser(c), { message: Messages.onlyHostOrCohost });
        const registration = await checkInAttendee(flows, { event, registrationId: reg, attended: method === 'post' });
        return c.json(participantView(registration, { withEmail: true }), 200);
      },
    );
  }

  return app;
}
