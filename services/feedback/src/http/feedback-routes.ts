import { causedByRequest } from '@convene/domain-kit';
import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  json,
  jsonBody,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  signedIn,
  signedInOrAnonymous,
} from '@convene/kit';
import { Messages } from '../domain/messages.ts';
import { refusal } from '../errors.ts';
import { deleteMyFeedback, editMyFeedback } from '../flows/change-my-feedback.ts';
import { leaveFeedback } from '../flows/leave-feedback.ts';
import { listFeedback, readMyFeedback, summarizeFeedback } from '../flows/read-feedback.ts';
import { actorOf, type HttpDeps, readerOf, withEvents } from './deps.ts';
import { Detail, FeedbackOut, FeedbackPage, feedbackBody, PageQuery, SummaryOut } from './schemas.ts';
import { feedbackView } from './views.ts';

const tags = ['feedback'];

/** /api/events/{id}/feedback: leave, list, summary, and one's own (read, edit, delete). */
export function feedbackRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const { flows } = deps;
  const Body = feedbackBody(flows.commentMaxLength);
  const fail = (outcome: Parameters<typeof refusal>[0]) => refusal(outcome, flows.policy.opensAt);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events/{id}/feedback',
      operationId: 'leaveFeedback',
      tags,
      security: signedIn,
      summary: 'Leave feedback: people who attended, once the event has started, one per person',
      description:
        '403 `NOT_A_PARTICIPANT` / `NOT_CHECKED_IN` / `EVENT_CANCELLED` say why the caller may not; ' +
        '400 `FEEDBACK_NOT_OPEN` names when feedback opens (`opens_at`); 400 `FEEDBACK_CLOSED`; ' +
        '409 `FEEDBACK_EXISTS` on a second attempt; 400 `VALIDATION_FAILED` names `rating` or `comment`.',
      request: { params: IdParam, body: jsonBody(Body) },
      responses: {
        201: json(FeedbackOut, 'The feedback.'),
        ...problemResponses(400, 401, 403, 404, 409, 503),
      },
    }),
    async (c) => {
      const actor = actorOf(requireUser(c));
      const body = c.req.valid('json');
      const outcome = await withEvents(() =>
        leaveFeedback(
          flows,
          c.req.valid('param').id,
          actor,
          { rating: body.rating, comment: body.comment ?? '' },
          causedByRequest(c.get('requestId')),
        ),
      );
      if (!outcome.ok) throw fail(outcome);
      return c.json(feedbackView(outcome.feedback), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/feedback',
      operationId: 'listFeedback',
      tags,
      security: signedInOrAnonymous,
      summary: 'Feedback for an event, newest first, paginated (public events: anyone; invite-only: the hosts)',
      request: { params: IdParam, query: PageQuery },
      responses: { 200: json(FeedbackPage, 'A page of feedback.'), ...problemResponses(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      const params = pageParams(c);
      const outcome = await withEvents(() => listFeedback(flows, c.req.valid('param').id, readerOf(c), params));
      if (!outcome.ok) throw fail(outcome);
      return c.json(pageOf(c, { count: outcome.count, results: outcome.results.map(feedbackView) }, params), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/feedback/summary',
      operationId: 'feedbackSummary',
      tags,
      security: signedInOrAnonymous,
      summary: 'count, average and distribution of the ratings (kept up to date as feedback changes)',
      request: { params: IdParam },
      responses: { 200: json(SummaryOut, 'The summary.'), ...problemResponses(401, 403, 404, 503) },
    }),
    async (c) => {
      const outcome = await withEvents(() => summarizeFeedback(flows, c.req.valid('param').id, readerOf(c)));
      if (!outcome.ok) throw fail(outcome);
      return c.json(outcome.summary, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}/feedback/mine',
      operationId: 'readMyFeedback',
      tags,
      security: signedIn,
      summary: 'The signed-in user’s feedback for the event',
      request: { params: IdParam },
      responses: { 200: json(FeedbackOut, 'The feedback.'), ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const actor = actorOf(requireUser(c));
      const outcome = await withEvents(() => readMyFeedback(flows, c.req.valid('param').id, actor));
      if (!outcome.ok) throw fail(outcome);
      return c.json(feedbackView(outcome.feedback), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/events/{id}/feedback/mine',
      operationId: 'editMyFeedback',
      tags,
      security: signedIn,
      summary: 'Change one’s rating and comment (while feedback is open)',
      request: { params: IdParam, body: jsonBody(Body) },
      responses: { 200: json(FeedbackOut, 'The feedback.'), ...problemResponses(400, 401, 404, 409, 503) },
    }),
    async (c) => {
      const actor = actorOf(requireUser(c));
      const body = c.req.valid('json');
      const outcome = await withEvents(() =>
        editMyFeedback(flows, c.req.valid('param').id, actor, { rating: body.rating, comment: body.comment ?? '' }),
      );
      if (!outcome.ok) throw fail(outcome);
      return c.json(feedbackView(outcome.feedback), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/events/{id}/feedback/mine',
      operationId: 'deleteMyFeedback',
      tags,
      security: signedIn,
      summary: 'Delete one’s feedback',
      request: { params: IdParam },
      responses: {
        200: json(Detail, Messages.deleted),
        ...problemResponses(401, 404, 409, 503),
      },
    }),
    async (c) => {
      const actor = actorOf(requireUser(c));
      const outcome = await withEvents(() => deleteMyFeedback(flows, c.req.valid('param').id, actor));
      if (!outcome.ok) throw fail(outcome);
      return c.json({ detail: Messages.deleted }, 200);
    },
  );

  return app;
}
