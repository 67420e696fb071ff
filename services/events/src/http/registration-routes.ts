import {
  type AppEnv,
  AppError,
  badRequest,
  conflict,
  createRoute,
  createRouter,
  notFound,
  type OpenAPIHono,
  problemResponses,
  requireUser,
  validationError,
  zodErrorsToFields,
} from '@convene/kit';
import type { Context } from 'hono';
import { viewerKeys } from '../domain/identity.ts';
import { Messages } from '../domain/messages.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { markAttendance } from '../store/registration-queries.ts';
import { acceptOffer, leave, register } from '../store/registrations.ts';
import { eventNotFound, type HttpDeps, managedEvent, movesFor, readableEvent } from './deps.ts';
import { Detail, IdParam, json, ParticipantOut, RegisterBody, RegistrationOut } from './schemas.ts';
import { participantView, registrationView } from './views.ts';

const tags = ['registrations'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

const busy = () => conflict(Messages.busy, 'REGISTRATION_BUSY');

/**
 * The register body is optional (seed 003 clients post nothing); an empty body is accepted even
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

async function positionOf(deps: HttpDeps, reg: RegistrationDoc): Promise<number | undefined> {
  if (reg.status !== 'waitlisted' || reg.waitlist_pos === null) return undefined;
  const ahead = await deps.store.registrations.countDocuments({
    event_id: reg.event_id,
    status: 'waitlisted',
    waitlist_pos: { $lt: reg.waitlist_pos },
  });
  return ahead + 1;
}

/** Register / unregister / waitlist / offers / check-in. */
export function registrationRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/register',
      operationId: 'registerForEvent',
      tags,
      security,
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
      const { event } = await readableEvent(c, deps, c.req.valid('param').id);
      const outcome = await register(
        movesFor(c, deps),
        event,
        { user_id: user.id, email: user.email, name: user.name || user.username },
        body,
      );
      if (!outcome.ok) throw refusal(outcome.reason);
      deps.nudge();
      return c.json(registrationView(outcome.registration, await positionOf(deps, outcome.registration)), 201);
    },
  );

  for (const method of ['post', 'delete'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/events/{id}/unregister',
        operationId: method === 'post' ? 'unregisterFromEvent' : 'unregisterFromEventByDelete',
        tags,
        security,
        summary: 'Give up a seat, an offer or a place on the waitlist (POST as seed 003, DELETE as seed 004)',
        request: { params: IdParam },
        responses: { 200: json(Detail, 'Unregistered.'), ...problemResponses(400, 401, 404, 409) },
      }),
      async (c) => {
        const user = requireUser(c);
        const { event } = await readableEvent(c, deps, c.req.valid('param').id);
        const outcome = await leave(movesFor(c, deps), event, viewerKeys(user), 'unregister');
        if (!outcome.ok) {
          if (outcome.reason === 'not_registered') throw badRequest(Messages.notRegistered, 'NOT_REGISTERED');
          if (outcome.reason === 'past') throw badRequest(Messages.unregisterPast, 'EVENT_PAST');
          throw busy();
        }
        deps.nudge();
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
      security,
      summary: 'Leave the waitlist (or decline a held offer)',
      request: { params: IdParam },
      responses: { 200: json(Detail, 'Left the waitlist.'), ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { event } = await readableEvent(c, deps, c.req.valid('param').id);
      const outcome = await leave(movesFor(c, deps), event, viewerKeys(user), 'waitlist');
      if (!outcome.ok) {
        if (outcome.reason === 'busy') throw busy();
        throw badRequest(Messages.notWaitlisted, 'NOT_WAITLISTED');
      }
      deps.nudge();
      return c.json({ detail: Messages.leftWaitlist }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/offer/accept',
      operationId: 'acceptSeatOffer',
      tags,
      security,
      summary: 'Confirm the seat held for you (events in offer mode)',
      request: { params: IdParam },
      responses: { 200: json(RegistrationOut, 'Confirmed.'), ...problemResponses(400, 401, 404, 409) },
    }),
    async (c) => {
      const user = requireUser(c);
      const { event } = await readableEvent(c, deps, c.req.valid('param').id);
      const outcome = await acceptOffer(movesFor(c, deps), event, viewerKeys(user));
      if (!outcome.ok) throw refusal(outcome.reason);
      deps.nudge();
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
        security,
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
        const { event } = await managedEvent(c, deps, id, { message: Messages.onlyHostOrCohost });
        const outcome = await markAttendance(deps.store, event, reg, method === 'post', deps.now());
        if (!outcome.ok) {
          if (outcome.reason === 'not_found') throw notFound(Messages.registrationNotFound, 'REGISTRATION_NOT_FOUND');
          throw new AppError(400, 'NOT_CONFIRMED', Messages.notConfirmed);
        }
        deps.nudge();
        return c.json(participantView(outcome.registration, { withEmail: true }), 200);
      },
    );
  }

  return app;
}

/** Why a seat move was refused → the answer clients expect (seed 003's messages where it has them). */
function refusal(reason: string): Error {
  switch (reason) {
    case 'already':
      return badRequest(Messages.alreadyRegistered, 'ALREADY_REGISTERED');
    case 'full':
      return badRequest(Messages.eventFull, 'EVENT_FULL');
    case 'no_offer':
      return badRequest(Messages.noOffer, 'NO_OFFER');
    case 'expired':
      return badRequest(Messages.offerExpired, 'OFFER_EXPIRED');
    case 'past':
      return badRequest(Messages.pastEvent, 'EVENT_PAST');
    case 'inactive':
      return badRequest(Messages.inactiveEvent, 'EVENT_INACTIVE');
    case 'gone':
      return eventNotFound();
    default:
      return busy();
  }
}
