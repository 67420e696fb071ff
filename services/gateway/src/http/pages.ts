import { discardReader } from '@convene/kit';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { callService, type ServiceAnswer } from '../proxy/call-service.ts';
import type { Upstreams } from '../proxy/upstreams.ts';
import type { GatewayEnv } from './gateway-env.ts';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

// No script at all; forms post back to the page, which calls the public API on the server side.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The two pages that email links open: /invite/{token} (accept or decline an event invitation)
 * and /set-password/{token} (an invited user's first password). Plain HTML forms, no JavaScript,
 * so they work in any mail client's browser; every action goes through the public API.
 */
export function pageRoutes({ upstreams, trustedHops }: { upstreams: Upstreams; trustedHops: number }) {
  const app = new Hono<GatewayEnv>({ strict: false });
  // Scoped to the page paths: a sub-app's catch-all middleware would run for every proxied request.
  for (const path of ['/invite/*', '/set-password/*']) {
    app.use(path, async function pageHeaders(c, next) {
      await next();
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-store');
    });
  }

  const call = (
    c: { env: GatewayEnv['Bindings']; get: (key: 'requestId') => string },
    upstream: keyof Upstreams,
    method: 'GET' | 'POST',
    path: string,
    json?: unknown,
  ) =>
    callService(upstreams[upstream], c.env.incoming, {
      method,
      path,
      json,
      requestId: c.get('requestId'),
      trustedHops,
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
    const answer = await call(c, 'invitations', 'POST', path, fields);
    if (!answer.ok || answer.status >= 300) return c.html(failurePage('Invitation', answer), pageStatus(answer));
    const message = decline
      ? 'You declined the invitation. The host has been told.'
      : 'You accepted the invitation. A confirmation is on its way to your inbox.';
    return c.html(layout('Invitation', html`<p class="ok">${message}</p>`));
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
    const answer = await call(c, 'auth', 'POST', `/api/auth/set-password/${encodeURIComponent(token)}`, { password });
    if (answer.ok && answer.status === 400) {
      const errors = (answer.body as { errors?: FieldErrors } | undefined)?.errors ?? {
        password: [problemDetail(answer)],
      };
      return c.html(passwordPage(token, {}, errors), 400);
    }
    if (!answer.ok || answer.status >= 300) return c.html(failurePage('Set your password', answer), pageStatus(answer));
    return c.html(
      layout(
        'Set your password',
        html`<p class="ok">Your password is set and your account is active. You can now sign in.</p>`,
      ),
    );
  });

  return app;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** These forms carry a name, a phone number or two passwords. */
const FORM_MAX_BYTES = 16 * 1024;

/**
 * The fields of a urlencoded form (what these pages' forms post), read strictly: bytes that are
 * not UTF-8, or %-escapes that do not decode to it, make the form unreadable (400) instead of
 * arriving as U+FFFD — a password with a replacement character is not the one the user typed. A
 * form is small: past FORM_MAX_BYTES (chunked bodies are not counted at the edge) it is 413.
 */
export async function formFields(
  request: Request,
): Promise<{ ok: true; fields: Record<string, string> } | { ok: false; status: 400 | 413 }> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
    return { ok: false, status: 400 };
  }
  const bytes = await readAtMost(request, FORM_MAX_BYTES);
  if (!bytes) return { ok: false, status: 413 };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, status: 400 };
  }
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const name = percentDecoded(at === -1 ? pair : pair.slice(0, at));
    const value = percentDecoded(at === -1 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) return { ok: false, status: 400 };
    fields[name] = value;
  }
  return { ok: true, fields };
}

/** The whole body, or undefined once it passes `max` bytes (the rest is not read). */
async function readAtMost(request: Request, max: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > max) {
      // Read what is still coming (bounded) so that closing this connection is not a reset.
      await discardReader(reader);
      return undefined;
    }
    chunks.push(value);
  }
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function unreadableForm(title: string): Html {
  return layout(title, html`<p class="error">The form could not be read. Go back and send it again.</p>`);
}

interface Invitation {
  event_name?: string;
  event_description?: string;
  invited_by?: string;
  message?: string;
  expires_at?: string;
  can_accept?: boolean;
  is_expired?: boolean;
  status?: string;
  event_start_time?: string;
  event_location?: string;
}
interface Invitee {
  email?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}
type FieldErrors = Record<string, string[]>;

function invitationPage(token: string, invitation: Invitation): Html {
  const action = `/invite/${encodeURIComponent(token)}`;
  const closed = invitation.is_expired
    ? html`<p class="error">This invitation has expired.</p>`
    : invitation.status === 'cancelled'
      ? html`<p class="error">This invitation has been cancelled by the host.</p>`
      : invitation.status === 'accepted' || invitation.status === 'declined'
        ? html`<p class="ok">You have already ${invitation.status} this invitation.</p>`
        : html`<p class="error">This invitation can no longer be answered.</p>`;
  return layout(
    'Invitation',
    html`<h1>${invitation.event_name ?? 'An event'}</h1>
      ${invitation.event_start_time ? html`<p class="muted">${invitation.event_start_time}${invitation.event_location ? html` · ${invitation.event_location}` : ''}</p>` : ''}
      ${invitation.event_description ? html`<p>${invitation.event_description}</p>` : ''}
      ${invitation.invited_by ? html`<p>Invited by <strong>${invitation.invited_by}</strong></p>` : ''}
      ${invitation.message ? html`<blockquote>${invitation.message}</blockquote>` : ''}
      ${invitation.expires_at ? html`<p class="muted">Answer before ${invitation.expires_at}.</p>` : ''}
      ${
        invitation.can_accept === false
          ? closed
          : html`<form method="post" action="${action}">
              <label>Your name <input name="full_name" autocomplete="name" /></label>
              <label>Phone (optional) <input name="phone" type="tel" autocomplete="tel" /></label>
              <button name="action" value="accept">Accept</button>
            </form>
            <form method="post" action="${action}">
              <button name="action" value="decline" class="secondary">Decline</button>
            </form>`
      }`,
  );
}

function passwordPage(token: string, invitee: Invitee, errors: FieldErrors): Html {
  const who = invitee.email ?? invitee.username;
  const fieldErrors = (name: string) =>
    (errors[name] ?? []).map((message) => html`<span class="error">${message}</span>`);
  const other = Object.entries(errors)
    .filter(([name]) => name !== 'password' && name !== 'password2')
    .flatMap(([, messages]) => messages);
  return layout(
    'Set your password',
    html`<h1>Set your password</h1>
      ${who ? html`<p>For <strong>${who}</strong></p>` : ''}
      ${other.map((message) => html`<p class="error">${message}</p>`)}
      <form method="post" action="/set-password/${encodeURIComponent(token)}">
        <label>Password <input name="password" type="password" autocomplete="new-password" required /></label>
        ${fieldErrors('password')}
        <label>Repeat it <input name="password2" type="password" autocomplete="new-password" required /></label>
        ${fieldErrors('password2')}
        <button>Set password</button>
      </form>`,
  );
}

function failurePage(title: string, answer: ServiceAnswer): Html {
  const message = !answer.ok
    ? 'This page cannot be shown right now. Please try again in a few minutes.'
    : answer.status === 404
      ? 'This link is not valid. It may have been used already or mistyped.'
      : problemDetail(answer);
  return layout(title, html`<h1>${title}</h1><p class="error">${message}</p>`);
}

function problemDetail(answer: ServiceAnswer): string {
  const detail = (answer.body as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' && detail ? detail : 'Something went wrong. Please try again.';
}

/**
 * The service's status when it refused (404, 409, 410, 429 as they are, any other refusal 400);
 * 502/504 when it could not be reached. A throttled link check stays 429: it is not a bad link.
 */
function pageStatus(answer: ServiceAnswer): 400 | 404 | 409 | 410 | 429 | 502 | 504 {
  if (!answer.ok) return answer.status;
  if ([404, 409, 410, 429].includes(answer.status)) return answer.status as 404 | 409 | 410 | 429;
  return answer.status >= 500 ? 502 : 400;
}

function nonEmpty(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
    ),
  );
}

function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title} — Convene</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1d1d1f; }
      label { display: block; margin: 0.75rem 0; }
      input { display: block; width: 100%; padding: 0.5rem; margin-top: 0.25rem; box-sizing: border-box; }
      button { padding: 0.5rem 1.25rem; margin-top: 0.5rem; background: #2456c7; color: #fff; border: 0; border-radius: 4px; }
      button.secondary { background: #eee; color: #1d1d1f; }
      .error { color: #b3261e; display: block; } .ok { color: #1e7b34; } .muted { color: #666; }
      blockquote { border-left: 3px solid #ccc; margin: 1rem 0; padding-left: 1rem; }
    </style>
  </head>
  <body>
    ${body}
  </body>
</html>`;
}
