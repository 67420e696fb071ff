import {
  type AppEnv,
  createRoute,
  createRouter,
  IdParam,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  routeWithAliases,
  signedIn as security,
} from '@convene/kit';
import type { Context } from 'hono';
import { activateOrDeactivateUsers } from '../flows/activate-or-deactivate-users.ts';
import { findUser } from '../flows/find-user.ts';
import { inviteUser } from '../flows/invite-user.ts';
import { listUsers, type StatusFilter } from '../flows/list-users.ts';
import { resendInvitation } from '../flows/resend-invitation.ts';
import { currentAdmin, type HttpDeps } from './deps.ts';
import { AdminUserOut, BulkBody, BulkOut, CreateUserBody, json, jsonBody, UserPage, UsersQuery } from './schemas.ts';
import { adminUserView } from './views.ts';

const tags = ['users (admin)'];

/** Platform user management: admins invite inactive users who set a password by link; list, resend, bulk activate/deactivate. */
export function userAdminRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  const middleware = [deps.signedIn];

  async function listPage(c: Context, status: StatusFilter | undefined) {
    const params = pageParams(c);
    const { count, results } = await listUsers(deps.flows, { status, skip: params.skip, limit: params.limit });
    const now = deps.flows.now();
    return pageOf(c, { count, results: results.map((u) => adminUserView(u, now)) }, params);
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users',
      operationId: 'createUser',
      tags,
      security,
      middleware,
      summary: 'Create an inactive account and email it a set-password link',
      request: { body: jsonBody(CreateUserBody) },
      responses: { 201: json(AdminUserOut, 'The invited account.'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const admin = await currentAdmin(c, deps);
      const body = c.req.valid('json');
      const user = await inviteUser(deps.flows, admin, { ...body, role: body.role as 'user' | 'admin' | undefined });
      return c.json(adminUserView(user, deps.flows.now()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users',
      operationId: 'listUsers',
      tags,
      security,
      middleware,
      summary: 'All accounts, newest first; filter with ?status=active|inactive|invited|disabled',
      request: { query: UsersQuery },
      responses: { 200: json(UserPage, 'A page of accounts.'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await currentAdmin(c, deps);
      const { status } = c.req.valid('query');
      return c.json(await listPage(c, status), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users/inactive',
      operationId: 'listInactiveUsers',
      tags,
      security,
      middleware,
      summary: 'Accounts that cannot sign in (invited or disabled), with their invitation status',
      responses: { 200: json(UserPage, 'A page of accounts.'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await currentAdmin(c, deps);
      return c.json(await listPage(c, 'inactive'), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/users/bulk',
      operationId: 'bulkUserAction',
      tags,
      security,
      middleware,
      summary: 'Activate or deactivate many accounts; deactivation ends their sessions',
      request: { body: jsonBody(BulkBody) },
      responses: { 200: json(BulkOut, 'What happened to each id.'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const admin = await currentAdmin(c, deps);
      const { action, ids } = c.req.valid('json');
      return c.json(await activateOrDeactivateUsers(deps.flows, admin, action, ids), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/users/{id}',
      operationId: 'getUser',
      tags,
      security,
      middleware,
      summary: 'One account',
      request: { params: IdParam },
      responses: { 200: json(AdminUserOut, 'The account.'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      await currentAdmin(c, deps);
      const user = await findUser(deps.flows, c.req.valid('param').id);
      return c.json(adminUserView(user, deps.flows.now()), 200);
    },
  );

  routeWithAliases(
    app,
    createRoute({
      method: 'post',
      path: '/api/users/{id}/resend-invitation',
      operationId: 'resendInvitation',
      tags,
      security,
      middleware,
      summary: 'Send a new set-password link; the previous one stops working',
      request: { params: IdParam },
      responses: {
        200: json(AdminUserOut, 'The account with its new invitation.'),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const admin = await currentAdmin(c, deps);
      const user = await resendInvitation(deps.flows, admin, c.req.valid('param').id);
      return c.json(adminUserView(user, deps.flows.now()), 200);
    },
    [{ path: '/api/user/{id}/resend-invitation', origin: 'legacy user-invitation API' }],
  );

  return app;
}
