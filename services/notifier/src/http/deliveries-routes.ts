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
  requireAdmin,
  signedIn,
} from '@convene/kit';
import { readDeliveryLog } from '../flows/read-delivery-log.ts';
import type { HttpDeps } from './deps.ts';
import { DeliveryOut, DeliveryQuery } from './schemas.ts';
import { deliveryView } from './views.ts';

const DeliveryPage = page(DeliveryOut, 'DeliveryPage');

/** Admin: the email delivery log, newest first, filtered by status, recipient and template. */
export function deliveriesRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notifications/deliveries',
      operationId: 'listDeliveries',
      tags: ['notifications'],
      security: signedIn,
      summary: 'Email delivery log (admin)',
      request: { query: DeliveryQuery },
      responses: { 200: json(DeliveryPage, 'A page of deliveries.'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      requireAdmin(c);
      const { status, recipient, template } = c.req.valid('query');
      const params = pageParams(c);
      const found = await readDeliveryLog(
        deps.flows,
        { ...(status ? { status } : {}), ...(recipient ? { recipient } : {}), ...(template ? { template } : {}) },
        params,
      );
      return c.json(pageOf(c, { count: found.count, results: found.results.map(deliveryView) }, params), 200);
    },
  );
  return app;
}
