import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { InvitationsService } from '@convene/invitations';
import { TestClock } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, tokenOf } from './invitations-support.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Expiry (read-time and by the sweeper, once), the 48 h reminder (once), the operator command. */
describe('invitations over time', () => {
  let stack: SystemStack;
  const clock = new TestClock();
  const service = () => stack.services.invitations!.service as unknown as InvitationsService;
  const jobs = () => service().jobs;

  beforeAll(async () => {
    stack = await startSystem({
      services: ['auth', 'events', 'invitations'],
      now: clock.now,
      env: { invitations: { JOBS_ENABLED: 'false' } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Events checks start times against the stack's clock, which these tests move. */
  const futureEvent = (hostToken: string) => {
    const start = clock.now().getTime() + 10 * DAY;
    return createEvent(stack.api, hostToken, {
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 2 * HOUR).toISOString(),
    });
  };

  const invite = async (hostToken: string, eventId: string, email: string) => {
    const sent = await stack.api.post(`/api/events/${eventId}/invitations`, { emails: [email] }, { token: hostToken });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    return sent.body.created[0] as { id: string; expires_at: string };
  };

  it('treats an overdue invitation as expired before the sweeper runs, and after; the sweeper announces it once', async () => {
    const host = await signUp(stack.api);
    const event = await futureEvent(host.token);
    const inv = await invite(host.token, event.id, `late.${Date.now().toString(36)}@example.com`);
    const token = await tokenFor(stack, inv.id);
    expect(Date.parse(inv.expires_at) - clock.now().getTime()).toBeGreaterThan(7 * DAY - HOUR);

    clock.advance(7 * DAY + 60_000);
    const seen = await stack.api.get(`/api/attendee-invitations/verify/${token}`);
    expect(seen.body).toMatchObject({ status: 'expired', is_expired: true, can_accept: false });
    expectProblem(await stack.api.post('/api/attendee-invitations/accept', { token }), 400, {
      code: 'INVITATION_EXPIRED',
    });
    const stats = await stack.api.get(`/api/events/${event.id}/invitations/stats`, { token: host.token });
    expect(stats.body).toMatchObject({ total_sent: 1, pending: 0, expired: 1 });

    expect((await jobs().expiry.runNow()).expired).toBe(1);
    const expired = await stack.probe.waitFor('invitation.expired', (e) => e.data.invitation_id === inv.id);
    expect(expired.data.invitee.email).toContain('late.');
    expect((await jobs().expiry.runNow()).expired).toBe(0);
    expectProblem(await stack.api.post('/api/attendee-invitations/accept', { token }), 400, {
      code: 'INVITATION_EXPIRED',
    });
    expectProblem(
      await stack.api.post(`/api/events/${event.id}/invitations/${inv.id}/resend`, {}, { token: host.token }),
      400,
      {
        code: 'INVITATION_EXPIRED',
      },
    );
    // A new invitation for the same person is possible once the old one expired.
    const again = await invite(host.token, event.id, expired.data.invitee.email);
    expect(again.id).not.toBe(inv.id);
    // Withdrawn again, so the next test counts only its own reminders.
    expect(
      (await stack.api.delete(`/api/events/${event.id}/invitations/${again.id}`, { token: host.token })).status,
    ).toBe(204);
  });

  it('reminds a pending invitee once, 48 h before expiry, with a working link', async () => {
    const host = await signUp(stack.api);
    const event = await futureEvent(host.token);
    const inv = await invite(host.token, event.id, `remind.${Date.now().toString(36)}@example.com`);
    const token = await tokenFor(stack, inv.id);

    expect(await jobs().reminders.runNow()).toBe(0); // not due yet
    clock.advance(5 * DAY + 60_000);
    expect(await jobs().reminders.runNow()).toBe(1);
    expect(await jobs().reminders.runNow()).toBe(0);
    const reminder = await stack.probe.waitFor('invitation.reminder_due', (e) => e.data.invitation_id === inv.id);
    expect(tokenOf(stack, reminder as never)).toBe(token);
    // Positive marker: a later message arrived, so a second reminder would have been seen by now.
    const marker = await invite(host.token, event.id, `marker.${Date.now().toString(36)}@example.com`);
    await stack.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === marker.id);
    expect(
      stack.probe.received.filter((e) => e.type === 'invitation.reminder_due' && e.data.invitation_id === inv.id),
    ).toHaveLength(1);
  });

  it('`convene invitations:expire` expires overdue invitations by hand', async () => {
    const host = await signUp(stack.api);
    const event = await futureEvent(host.token);
    const inv = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [`cli.${Date.now().toString(36)}@example.com`], expires_in_days: 0.0001 },
      { token: host.token },
    );
    expect(inv.status).toBe(201);
    // The command reads the real clock: this invitation expires 8.64 s after it was sent (test clock ahead or not).
    const id = inv.body.created[0].id as string;
    const store = service().store;
    await store.invitations.updateOne({ _id: id }, { $set: { expires_at: new Date(Date.now() - 1000) } });
    const cli = fileURLToPath(new URL('../../../bin/convene.ts', import.meta.url));
    const run = spawnSync(process.execPath, [cli, 'invitations:expire'], {
      env: { ...process.env, MONGO_URL: stack.services.invitations!.env.MONGO_URL },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^[1-9]\d* invitation\(s\) expired\n$/);
    await stack.probe.waitFor('invitation.expired', (e) => e.data.invitation_id === id);
  });
});
