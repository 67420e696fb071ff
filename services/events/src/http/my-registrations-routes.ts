import {
  type AppEnv,
  createRoute,
  createRouter,
  json,
  type OpenAPIHono,
  page,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  signedIn,
} from '@convene/kit';
import { listMyRegistrations } from '../flows/list-my-registrations.ts';
import type { MyScope } from '../store/registration-queries.ts';
import type { HttpDeps } from './deps.ts';
import { MyRegistrationOut } from './schemas.ts';
import { myRegistrationView } from './views.ts';

const tags = ['registrations'];
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
        security: signedIn,
        summary,
        responses: { 200: json(MyRegistrationPage, 'A page of registrations.'), ...problemResponses(401, 404) },
      }),
      async (c) => {
        const user = requireUser(c);
        const params = pageParams(c);
        const found = await listMyRegistrations(deps.flows, { user, scope, page: params });
        const results = found.results.map(({ registration, event, position }) =>
          myRegistrationView(registration, event, { defaultZone: deps.flows.defaultTimeZone, position }),
        );
        return c.json(pageOf(c, { count: found.count, results }, params), 200);
      },
    );
  }
  return app;
}
