import { zoneOrUtc } from '@convene/domain-kit';
import { html } from 'hono/html';
import { type Html, layout, stateMessage } from './layout.ts';
import { text } from './service-answers.ts';
import { instantIn } from './when.ts';

/** Who the set-password link is for, as the auth API answers it. */
export interface Invitee {
  email?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  expires_at?: string;
  is_expired?: boolean;
  /** The person's own zone when their profile has one; the link's deadline is shown in it. */
  timezone?: string | null;
  invited_by?: string;
}
export type FieldErrors = Record<string, string[]>;

export function passwordPage(token: string, invitee: Invitee, errors: FieldErrors): Html {
  const who = text(invitee.email) ?? text(invitee.username);
  const name = [text(invitee.first_name), text(invitee.last_name)].filter(Boolean).join(' ');
  const until = invitee.is_expired ? undefined : instantIn(invitee.expires_at, zoneOrUtc(invitee.timezone));
  const fieldErrors = (field: string) =>
    (errors[field] ?? []).map((message) => html`<span class="field-error" id="${field}-error">${message}</span>`);
  const described = (field: string) => (errors[field]?.length ? html` aria-describedby="${field}-error"` : '');
  const other = Object.entries(errors)
    .filter(([field]) => field !== 'password' && field !== 'password2')
    .flatMap(([, messages]) => messages);
  if (invitee.is_expired) {
    return layout('Set your password', html`<h1>Set your password</h1>${stateMessage('error', expiredLink)}`);
  }
  return layout(
    'Set your password',
    html`<h1>Set your password</h1>
      ${who ? html`<p>For <strong>${name ? `${name} (${who})` : who}</strong></p>` : ''}
      ${text(invitee.invited_by) ? html`<p>Invited by <strong>${invitee.invited_by}</strong></p>` : ''}
      ${until ? html`<p class="muted">This link works until ${until}.</p>` : ''}
      ${other.map((message) => stateMessage('error', message))}
      <form method="post" action="/set-password/${encodeURIComponent(token)}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required${described('password')} />
        ${fieldErrors('password')}
        <label for="password2">Repeat it</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required${described('password2')} />
        ${fieldErrors('password2')}
        <p class="actions"><button>Set password</button></p>
      </form>`,
  );
}

const expiredLink = 'This link has expired. Ask the person who invited you to send a new one.';

export function passwordSet(): Html {
  return layout(
    'Set your password',
    html`<h1>Password set</h1>${stateMessage('ok', 'Your password is set and your account is active. You can now sign in.')}`,
  );
}
