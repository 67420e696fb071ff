import {
  type AppEnv,
  createRoute,
  createRouter,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
} from '@convene/kit';
import { viewerKeys } from '../domain/identity.ts';
import { listMyRegistrations, type MyScope } from '../store/registration-queries.ts';
import type { HttpDeps } from './deps.ts';
import { json, MyRegistrationOut, page } from './schemas.ts';
import { myRegistrationView } from './views.ts';

const tags = ['registrations'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];
const MyRegistrationPage = page(MyRegistrationOut, 'MyRegistrationPage');

const scopes: Array<{ scope: MyScope; path: string; summary: string }> = [
  { scope: 'all', path: '/api/my-registrations', summary: 'All of my registrations (latest event first)' },
  {
    scope: 'active',
    path: '/api/my-registrations/active',
    summary: 'My registrations that are not cancelled, for events not started yet',
  },
  {
    scope: 'past',
    path: '/api/my-registrations/past',
    summary: 'My registrations for events that have started or ended',
  },
];

export function myRegistrationsRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  for (const { scope, path, summary } of scopes) {
    app.openapi(
      createRoute({
        method: 'get',
        path,
        operationId: `listMyRegistrations${scope[0]!.toUpperCase()}${scope.slice(1)}`,
        tags,
        security,
        summary,
        responses: { 200: json(MyRegistrationPage, 'A page of registrations.'), ...problemResponses(401, 404) },
      }),
      async (c) => {
        const user = requireUser(c);
        const params = pageParams(c);
        const found = await listMyRegistrations(deps.store, viewerKeys(user), scope, params, deps.now());
        const results = await Promise.all(
          found.results.map(async ({ registration, event }) => {
            let position: number | undefined;
            if (registration.status === 'waitlisted' && registration.waitlist_pos !== null) {
              position =
                1 +
                (await deps.store.registrations.countDocuments({
                  event_id: registration.event_id,
                  status: 'waitlisted',
                  waitlist_pos: { $lt: registration.waitlist_pos },
                }));
            }
            return myRegistrationView(registration, event, position);
          }),
        );
        return c.json(pageOf(c, { count: found.count, results }, params), 200);
      },
    );
  }
  return app;
}
