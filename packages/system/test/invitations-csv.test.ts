import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent } from './invitations-support.ts';

/** CSV import (streamed, per-row errors, good rows created) and export (hosts and co-hosts). */
describe('invitations as CSV', () => {
  let stack: SystemStack;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const upload = (url: string, csv: string, token: string) =>
    fetch(`${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });

  it('reports every bad row by line, skips duplicates, creates the good rows, and exports them', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const csv = [
      'Email,Full_Name,Role',
      'ann@example.com,Ann One,attendee',
      'not-an-email,Bad Email,attendee',
      'bob@example.com,Bob Two,custodian',
      'cy@example.com,Cy Three,emperor',
      ',No Email,viewer',
      'ANN@example.com,Ann Again,viewer',
      'dee@example.com,"=HYPERLINK(""x"")",',
    ].join('\n');
    const reply = await upload(`${stack.url}/api/events/${event.id}/invitations/import`, csv, host.token);
    const report = await reply.json();
    expect(reply.status, JSON.stringify(report)).toBe(200);
    expect(report).toEqual({
      rows: 7,
      created: 3,
      skipped: 1,
      failed: 3,
      errors: [
        { row: 3, errors: { email: ['Enter a valid email address.'] } },
        {
          row: 5,
          errors: { role: ['"emperor" is not a valid role (attendee, cohost, viewer, contributor, custodian).'] },
        },
        { row: 6, errors: { email: ['This field is required.'] } },
      ],
      skips: [
        {
          row: 2,
          email: 'ann@example.com',
          reason: 'already_invited',
          detail: 'Already invited and the invitation is pending.',
        },
      ],
      truncated: false,
    });
    const sent = await stack.probe.waitFor('invitation.sent', (e) => e.data.invitee.email === 'bob@example.com');
    expect(sent.data.role).toBe('cohost');

    const exported = await fetch(`${stack.url}/api/events/${event.id}/invitations.csv`, {
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const lines = (await exported.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'id,email,full_name,role,status,reservation,is_vip,bypass_capacity,expires_at,responded_at,resend_count,created_at,sent,expires,answered',
    );
    expect(lines).toHaveLength(4);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual(['ann@example.com', 'bob@example.com', 'dee@example.com']);
    expect(lines.find((l) => l.includes('dee@example.com'))).toContain(`"'=HYPERLINK(""x"")"`); // no formula injection

    const stranger = await signUp(stack.api);
    expectProblem(await stack.api.get(`/api/events/${event.id}/invitations.csv`, { token: stranger.token }), 403);
    const refused = await upload(`${stack.url}/api/events/${event.id}/invitations/import`, 'name\nx', host.token);
    expect(refused.status).toBe(400);
  });

  it('lets an import through the size limits past the 1 MiB every other route allows (gateway and service agree)', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    // One oversized record: the body passes both size limits and reaches the CSV reader, which
    // refuses records over 4 KiB (a 413 here would mean the gateway or the service kept 1 MiB).
    const csv = ['email,full_name,role', `big@example.com,${'x'.repeat(1_300_000)},attendee`].join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
    const reply = await upload(`${stack.url}/api/events/${event.id}/invitations/import`, csv, host.token);
    const problem = (await reply.json()) as { code: string; detail: string };
    expect(reply.status, JSON.stringify(problem)).toBe(400);
    expect(problem.code).toBe('CSV_INVALID');
    expect(problem.detail).toContain('Max Record Size');
  });
});
