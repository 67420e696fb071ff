import { html } from 'hono/html';
import type { ServiceAnswer } from '../../proxy/call-service.ts';
import { type Html, layout, stateMessage } from './layout.ts';
import { problemDetail } from './service-answers.ts';

/** Why a link's page cannot be shown, in words, in the pages' design. */
export function failurePage(title: string, answer: ServiceAnswer): Html {
  const message =
    !answer.ok || answer.status >= 500
      ? 'This page cannot be shown right now. Please try again in a few minutes.'
      : answer.status === 404
        ? 'This link is not valid. It may have been used already or mistyped.'
        : answer.status === 410
          ? 'This link has expired. Ask the person who sent it for a new one.'
          : problemDetail(answer);
  return layout(title, html`<h1>${title}</h1>${stateMessage('error', message)}`);
}

export function unreadableForm(title: string): Html {
  return layout(
    title,
    html`<h1>${title}</h1>${stateMessage('error', 'The form could not be read. Go back and send it again.')}`,
  );
}
