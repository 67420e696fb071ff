import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * hono's `html` template escapes every interpolated value (text and attributes alike), so a
 * title or a message from the API can never become markup; only nested `html` results are kept.
 */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

// No script at all; forms post back to the page, which calls the public API on the server side.
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * One light design for every page. Colours are chosen for at least 4.5:1 against their
 * background (body text 16:1, muted 7:1, buttons and links 7:1, messages 6:1); focus is a thick
 * outline that never depends on colour alone; nothing is wider than a 360 px phone.
 */
const STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; padding: 0 0.5rem; background: #f6f7f9; color: #1d1d1f; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; overflow-wrap: anywhere; }
  .brand { max-width: 40rem; margin: 0 auto; padding: 1rem; font-weight: 600; color: #1d1d1f; }
  main { max-width: 40rem; margin: 0 auto 2rem; padding: 1.5rem 1rem; background: #fff; border: 1px solid #d9dce1; border-radius: 8px; }
  @media (min-width: 42rem) { main { padding: 2rem 2.5rem; } }
  h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 1rem; }
  h2 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
  p { margin: 0.75rem 0; }
  a { color: #1f4fb8; }
  .facts { margin: 1rem 0; display: grid; grid-template-columns: minmax(5rem, max-content) 1fr; gap: 0.5rem 1rem; }
  .facts dt { font-weight: 600; color: #444a53; }
  .facts dd { margin: 0; }
  .description { white-space: pre-line; }
  .muted { color: #595959; }
  .state { padding: 0.75rem 1rem; border-radius: 6px; border-left: 4px solid; }
  .state.ok { color: #14572a; background: #eef7f0; border-color: #1a6b2d; }
  .state.error { color: #8c1d15; background: #fbefee; border-color: #b3261e; }
  .state.info { color: #1d1d1f; background: #eef2fb; border-color: #1f4fb8; }
  .field-error { display: block; color: #8c1d15; margin-top: 0.25rem; }
  label { display: block; margin: 1rem 0 0; font-weight: 600; }
  input { display: block; width: 100%; margin-top: 0.25rem; padding: 0.625rem; font: inherit; color: #1d1d1f; background: #fff; border: 1px solid #6b7280; border-radius: 4px; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1.25rem; }
  .actions form { margin: 0; }
  button, .button { display: inline-block; padding: 0.625rem 1.25rem; font: inherit; font-weight: 600; text-decoration: none; color: #fff; background: #1f4fb8; border: 2px solid #1f4fb8; border-radius: 6px; cursor: pointer; }
  button.secondary, .button.secondary { color: #1f4fb8; background: #fff; }
  a:focus-visible, button:focus-visible, input:focus-visible, .button:focus-visible { outline: 3px solid #1d1d1f; outline-offset: 2px; }
  blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid #8a9099; }
`;

/** The frame of every page: `title` names the page in the tab (and for screen readers). */
export function layout(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title} — Convene</title>
    <style>${raw(STYLE)}</style>
  </head>
  <body>
    <header class="brand">Convene</header>
    <main>
      ${body}
    </main>
  </body>
</html>`;
}

/** A message in words, styled by what it means: `ok`, `error` or plain `info`. */
export function stateMessage(kind: 'ok' | 'error' | 'info', text: string | Html): Html {
  return html`<p class="state ${kind}">${text}</p>`;
}
