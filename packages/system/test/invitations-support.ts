import type { DomainEvent } from '@convene/contracts';
import { openSealedToken } from '@convene/contracts';
import { eventually } from '@convene/testing';
import { expect } from 'vitest';
import type { Api, Json, SystemStack } from '../src/index.ts';
import { eventBody } from '../src/index.ts';

/** The link key the system stack gives invitations (services.ts testEnv): what the notifier would hold. */
export function linkKeyOf(stack: SystemStack): Buffer {
  return Buffer.from(stack.services.invitations!.env.INVITATION_LINK_KEY!, 'base64');
}

/** The link's token, as the notifier gets it: sealed inside invitation.sent | resent. */
export function tokenOf(stack: SystemStack, message: DomainEvent<'invitation.sent' | 'invitation.resent'>): string {
  expect(message.data.sealed_token, 'the message carries the sealed token').toBeTruthy();
  return openSealedToken(message.data.sealed_token!, linkKeyOf(stack), message.data.invitation_id);
}

/** The token of the latest invitation.sent or .resent for this invitation. */
export async function tokenFor(
  stack: SystemStack,
  invitationId: string,
  kind: 'sent' | 'resent' = 'sent',
  resendCount = 0,
) {
  const message =
    kind === 'sent'
      ? await stack.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === invitationId)
      : await stack.probe.waitFor(
          'invitation.resent',
          (e) => e.data.invitation_id === invitationId && e.data.resend_count === resendCount,
        );
  return tokenOf(stack, message);
}

export async function createEvent(api: Api, token: string, overrides: Record<string, unknown> = {}): Promise<Json> {
  const created = await api.post('/api/events', eventBody(overrides), { token });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/**
 * Polls `read` until `check` holds of what it read, with @convene/testing's eventually (the bound
 * is a failure timeout, not the assertion); answers the value that passed.
 */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  let last: { value: T } | undefined;
  await eventually(
    async () => {
      last = { value: await read() };
      return check(last.value);
    },
    { timeoutMs, what: 'the read to satisfy the check' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last read: ${last ? JSON.stringify(last.value) : 'none'}`, { cause: err });
  });
  return last!.value;
}

/** The token at the end of an emailed invitation link (`<PUBLIC_URL>/invite/<token>`). */
export function linkTokenOf(mail: { text: string }): string {
  const match = /\/invite\/([A-Za-z0-9_-]{43})\b/.exec(mail.text);
  expect(match, `an invitation link in: ${mail.text}`).not.toBeNull();
  return match![1]!;
}

/** The records of a CSV export, by header name (quoted cells, doubled quotes inside; no line breaks in cells). */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n').map(cellsOf);
  return lines.map((cells) => Object.fromEntries(header!.map((name, n) => [name, cells[n] ?? ''])));
}

function cellsOf(line: string): string[] {
  const cells: string[] = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let end = at + 1;
      let value = '';
      while (end < line.length && !(line[end] === '"' && line[end + 1] !== '"')) {
        value += line[end];
        end += line[end] === '"' ? 2 : 1;
      }
      cells.push(value);
      at = end + 2;
    } else {
      const comma = line.indexOf(',', at);
      const end = comma === -1 ? line.length : comma;
      cells.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return cells;
}
