import {
  type AppEnv,
  createRoute,
  createRouter,
  json,
  type OpenAPIHono,
  pageOf,
  pageParams,
  problemResponses,
  requireUser,
  signedIn,
  z,
} from '@convene/kit';
import { markEverythingRead, markNotificationRead, readInbox, unreadCount } from '../flows/manage-inbox.ts';
import type { HttpDeps } from './deps.ts';
import { InboxQuery, NotificationIdParam, NotificationOut, NotificationPage } from './schemas.ts';
import { notificationView } from './views.ts';

const tags = ['notifications'];

/** The signed-in user's inbox: list, unread count, mark one or all read. */
export function inboxRoutes(deps: HttpDeps): OpenAPIHono<AppEnv> {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notifications',
      operationId: 'listNotifications',
      tags,
      security: signedIn,
      summary: 'My notifications, newest first (with the unread count)',
      request: { query: InboxQuery },
      responses: { 200: json(NotificationPage, 'A page of notifications.'), ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const params = pageParams(c);
      const unread = c.req.valid('query').unread;
      const unreadOnly = unread === 'true' || unread === '1';
      const [found, count] = await Promise.all([
        readInbox(deps.flows, user.id, { unreadOnly, skip: params.skip, limit: params.limit }),
        unreadCount(deps.flows, user.id),
      ]);
      const body = pageOf(c, { count: found.count, results: found.results.map(notificationView) }, params);
      return c.json({ ...body, unread_count: count }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/notifications/unread-count',
      operationId: 'countUnreadNotifications',
      tags,
      security: signedIn,
      summary: 'How many of my notifications are unread',
      responses: {
        200: json(z.object({ unread_count: z.number().int() }), 'The count.'),
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json({ unread_count: await unreadCount(deps.flows, user.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/notifications/read-all',
      operationId: 'markAllNotificationsRead',
      tags,
      security: signedIn,
      summary: 'Mark all my notifications read',
      responses: {
        200: json(z.object({ marked: z.number().int(), unread_count: z.number().int() }), 'How many were unread.'),
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const marked = await markEverythingRead(deps.flows, user.id);
      return c.json({ marked, unread_count: await unreadCount(deps.flows, user.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/notifications/{id}/read',
      operationId: 'markNotificationRead',
      tags,
      security: signedIn,
      summary: 'Mark one of my notifications read',
      request: { params: NotificationIdParam },
      responses: { 200: json(NotificationOut, 'The notification.'), ...problemResponses(401, 404) },
    }),
    async (c) => {
      const user = requireUser(c);
      const doc = await markNotificationRead(deps.flows, user.id, c.req.valid('param').id);
      return c.json(notificationView(doc), 200);
    },
  );

  return app;
}
