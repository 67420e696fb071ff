import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  jsonBody,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  signedIn,
} from '@convene/kit';
import { answerInvitationFromMyList } from '../flows/answer-invitation-from-my-list.ts';
import { findMyInvitation } from '../flows/find-my-invitation.ts';
import { listMyInvitations } from '../flows/list-my-invitations.ts';
import { actorOf, causesOf, type HttpDeps } from './deps.ts';
import { AnswerBody, InvitationOut, json, PageQuery, page } from './schemas.ts';
import { invitationView } from './views.ts';

const tags = ['my invitations'];

/** The signed-in user's received invitations (by user id or by their email) and their answers. */
export function myInvitationsRoutes({ flows }: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/invitations',
      operationId: 'listMyInvitations',
      tags,
      security: signedIn,
      summary: 'Invitations addressed to me (my user id or my email, also those sent before I signed up)',
      request: { query: PageQuery },
      responses: {
        200: json(page(InvitationOut, 'MyInvitationPage'), 'A page of invitations.'),
        ...problemResponses(400, 401),
      },
    }),
    async (c) => {
      const actor = actorOf(c);
      const params = pageParams(c);
      const found = await listMyInvitations(flows, actor, { skip: params.skip, limit: params.limit });
      const now = flows.now();
      return c.json(
        pageOf(c, { count: found.count, results: found.results.map((inv) => invitationView(inv, now)) }, params),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/invitations/{id}',
      operationId: 'getMyInvitation',
      tags,
      security: signedIn,
      summary: 'One invitation addressed to me',
      request: { params: IdParam },
      responses: { 200: json(InvitationOut, 'The invitation.'), ...problemResponses(401, 404) },
    }),
    async (c) => {
      const inv = await findMyInvitation(flows, c.req.valid('param').id, actorOf(c));
      return c.json(invitationView(inv, flows.now()), 200);
    },
  );

  const answer = createRoute({
    method: 'put',
    path: '/api/invitations/{id}',
    operationId: 'answerMyInvitation',
    tags,
    security: signedIn,
    summary: 'Accept or decline: {status: accepted | declined} (case-insensitive; rejected = declined)',
    request: { params: IdParam, body: jsonBody(AnswerBody) },
    responses: { 200: json(InvitationOut, 'The answered invitation.'), ...problemResponses(400, 401, 404) },
  });
  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      { ...answer, method, ...(method === 'patch' ? { operationId: 'answerMyInvitationPatch' } : {}) },
      async (c) => {
        const inv = await answerInvitationFromMyList(
          flows,
          { id: c.req.valid('param').id, status: c.req.valid('json').status, actor: actorOf(c) },
          causesOf(c),
        );
        return c.json(invitationView(inv, flows.now()), 200);
      },
    );
  }

  return app;
}
