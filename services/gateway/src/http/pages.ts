import { ACCESS_TOKEN_COOKIE } from '@convene/kit';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { callService } from '../proxy/call-service.ts';
import type { Upstreams } from '../proxy/upstreams.ts';
import type { GatewayEnv } from './gateway-env.ts';
import { type EventView, eventPage, eventUnavailablePage } from './pages/event-page.ts';
import { failurePage, unreadableForm } from './pages/failure-page.ts';
import { formFields } from './pages/form-fields.ts';
import { type Invitation, invitationAnswered, invitationPage } from './pages/invitation-page.ts';
import { PAGE_CSP } from './pages/layout.ts';
import { type FieldErrors, type Invitee, passwordPage, passwordSet } from './pages/password-page.ts';
import { pageStatus, problemDetail } from './pages/service-answers.ts';

/**
 * The pages that email links open: /e/{id} (an event), /invite/{token} (accept or decline an
 * event invitation) and /set-password/{token} (an invited user's first password). Plain HTML,
 * forms without JavaScript, so they work in any mail client's browser; every action and every
 * fact goes through the public API.
 */
export function pageRoutes({ upstreams, trustedHops }: { upstreams: Upstreams; trustedHops: number }) {
  const app = new Hono<GatewayEnv>({ strict: false });
  // Scoped to the page paths: a sub-app's catch-all middleware would run for every proxied request.
  for (const path of ['/e/*', '/invite/*', '/set-password/*']) {
    app.use(path, async function pageHeaders(c, next) {
      await next();
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-store');
      // hono writes UTF-8; the pages' documented type is the lower-case spelling.
      if (c.res.headers.get('content-type')?.startsWith('text/html'))
        c.header('Content-Type', 'text/html; charset=utf-8');
    });
  }

  const call = (
    c: { env: GatewayEnv['Bindings']; get: (key: 'requestId') => string },
    upstream: keyof Upstreams,
    method: 'GET' | 'POST',
    path: string,
    { json, accessToken }: { json?: unknown; accessToken?: string } = {},
  ) =>
    callService(upstreams[upstream], c.env.incoming, {
      method,
      path,
      json,
      accessToken,
      requestId: c.get('requestId'),
      trustedHops,
    });

  app.get('/e/:id', async (c) => {
    const id = c.req.param('id');
    const path = `/api/events/${encodeURIComponent(id)}`;
    // A signed-in invitee sees the private event: events decides what the token may see.
    const accessToken = getCookie(c, ACCESS_TOKEN_COOKIE) || undefined;
    let answer = await call(c, 'events', 'GET', path, { accessToken });
    // An expired or foreign session is no reason to hide what anyone may see.
    if (accessToken && answer.ok && answer.status === 401) answer = await call(c, 'events', 'GET', path);
    if (answer.ok && answer.status === 200) return c.html(eventPage(id, answer.body as EventView));
    if (answer.ok && answer.status === 403) return c.html(eventUnavailablePage(403), 403);
    if (answer.ok && answer.status === 429) return c.html(failurePage('Event', answer), 429);
    // An id events cannot even read (400) names no event either.
    if (answer.ok && answer.status < 500) return c.html(eventUnavailablePage(404), 404);
    return c.html(failurePage('Event', answer), answer.ok ? 502 : answer.status);
  });

  app.get('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const answer = await call(c, 'invitations', 'GET', `/api/attendee-invitations/verify/${encodeURIComponent(token)}`);
    if (!answer.ok || answer.status !== 200) return c.html(failurePage('Invitation', answer), pageStatus(answer));
    return c.html(invitationPage(token, answer.body as Invitation));
  });

  app.post('/invite/:token', async (c) => {
    const token = c.req.param('token');
    const read = await formFields(c.req.raw);
    if (!read.ok) return c.html(unreadableForm('Invitation'), read.status);
    const form = read.fields;
    const decline = form.action === 'decline';
    const fields = decline ? { token } : { token, ...nonEmpty({ full_name: form.full_name, phone: form.phone }) };
    const path = decline ? '/api/attendee-invitations/reject' : '/api/attendee-invitations/accept';
    const answer = await call(c, 'invitations', 'POST', path, { json: fields });
    if (!answer.ok || answer.status >= 300) return c.html(failurePage('Invitation', answer), pageStatus(answer));
    return c.html(invitationAnswered(token, decline));
  });

  app.get('/set-password/:token', async (c) => {
    const token = c.req.param('token');
    const answer = await call(c, 'auth', 'GET', `/api/auth/set-password/${encodeURIComponent(token)}`);
    if (!answer.ok || answer.status !== 200)
      return c.html(failurePage('Set your password', answer), pageStatus(answer));
    return c.html(passwordPage(token, answer.body as Invitee, {}));
  });

  app.post('/set-password/:token', async (c) => {
    const token = c.req.param('token');
    const read = await formFields(c.req.raw);
    if (!read.ok) return c.html(unreadableForm('Set your password'), read.status);
    const form = read.fields;
    const password = typeof form.password === 'string' ? form.password : '';
    const password2 = typeof form.password2 === 'string' ? form.password2 : '';
    if (!password || password !== password2) {
      const errors = { password2: [password ? 'The two passwords differ.' : 'Enter a password.'] };
      return c.html(passwordPage(token, {}, errors), 400);
    }
    const answer = await call(c, 'auth', 'POST', `/api/auth/set-password/${encodeURIComponent(token)}`, {
      json: { password },
    });
    if (answer.ok && answer.status === 400) {
      const errors = (answer.body as { errors?: FieldErrors } | undefined)?.errors ?? {
        password: [problemDetail(answer)],
      };
      return c.html(passwordPage(token, {}, errors), 400);
    }
    if (!answer.ok || answer.status >= 300) return c.html(failurePage('Set your password', answer), pageStatus(answer));
    return c.html(passwordSet());
  });

  return app;
}

function nonEmpty(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
    ),
  );
}
