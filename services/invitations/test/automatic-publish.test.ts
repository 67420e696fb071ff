import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { envelope } from '@convene/contracts';
import { startTestIssuer, type TestIssuer } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendInvitations } from '../src/flows/send-invitations.ts';
import { person, type RunningInvitations, snapshot, startInvitations, until } from './support/harness.ts';

const options = {
  message: 'Come!',
  role: 'attendee' as const,
  is_vip: false,
  bypass_capacity: false,
  expires_in_ms: 7 * 86_400_000,
};

/**
 * The relay polls every ten minutes here, far beyond any wait below: what the probe receives was
 * published by kit's automatic nudge (after a write request, a handled message, a sweep) or by the
 * CLI's explicit flush — no flow nudges by hand any more.
 */
describe('invitations publishes what it wrote without waiting for the poll', { timeout: 60_000 }, () => {
  let inv: RunningInvitations;
  let issuer: TestIssuer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    inv = await startInvitations({
      OUTBOX_POLL_MS: '600000',
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_ISSUER: issuer.issuer,
      AUTH_AUDIENCE: issuer.audience,
    });
  });
  afterAll(async () => {
    await inv?.stop();
    await issuer?.close();
  });

  async function knownEvent(host: ReturnType<typeof person>) {
    const event = snapshot(host);
    await inv.publisher.publish([
      envelope({ type: 'event.created', source: 'events', subject: event.event_id, data: event }),
    ]);
    await until(
      () => inv.service.store.events.findById(event.event_id).lean(),
      (doc) => doc !== null,
    );
    return event;
  }

  it('after a successful POST: invitation.sent', async () => {
    const host = person('host');
    const event = await knownEvent(host);
    const response = await inv.service.app.request(`/api/events/${event.event_id}/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${issuer.tokenFor(host)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ emails: ['posted@example.com'] }),
    });
    expect(response.status).toBe(201);
    const { created } = (await response.json()) as { created: Array<{ id: string }> };
    await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === created[0]!.id);
  });

  it('after a handled message: event.cancelled → invitation.cancelled (and the sent one waiting in the outbox)', async () => {
    const host = person('host');
    const event = await knownEvent(host);
    // A flow called directly (no request around it) only writes: nothing publishes it yet.
    const { created } = await sendInvitations(inv.service.flows, {
      eventId: event.event_id,
      actor: host,
      emails: ['waiting@example.com'],
      userIds: [],
      ...options,
    });
    const id = created[0]!._id;
    await inv.publisher.publish([
      envelope({
        type: 'event.cancelled',
        source: 'events',
        subject: event.event_id,
        data: { ...event, is_active: false, reason: null },
      }),
    ]);
    await inv.probe.waitFor('invitation.cancelled', (e) => e.data.invitation_id === id);
    await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === id);
  });

  it('after a sweep: the expiry job run publishes invitation.expired', async () => {
    const host = person('host');
    const event = await knownEvent(host);
    const { created } = await sendInvitations(inv.service.flows, {
      eventId: event.event_id,
      actor: host,
      emails: ['overdue@example.com'],
      userIds: [],
      ...options,
    });
    const id = created[0]!._id;
    // Eight days on, every invitation still pending in this service's database is overdue: the
    // earlier tests' ones too. The sweep expires exactly those, each announced.
    inv.clock.advance(8 * 86_400_000);
    try {
      const pending = await inv.service.store.invitations.find({ status: 'pending' }, { _id: 1 }).lean();
      const overdue = pending.map((doc) => doc._id).sort();
      expect(overdue).toContain(id);
      const ran = await inv.service.jobs.expiry.runNow();
      expect(ran.expired).toBe(overdue.length);
      for (const overdueId of overdue)
        await inv.probe.waitFor('invitation.expired', (e) => e.data.invitation_id === overdueId);
      expect(await inv.service.store.invitations.countDocuments({ status: 'pending' })).toBe(0);
    } finally {
      inv.clock.advance(-8 * 86_400_000);
    }
  });

  it('`invitations:expire --publish` flushes the outbox itself (it runs outside openService)', async () => {
    const host = person('host');
    const event = await knownEvent(host);
    const { created } = await sendInvitations(inv.service.flows, {
      eventId: event.event_id,
      actor: host,
      emails: ['cli@example.com'],
      userIds: [],
      ...options,
    });
    const id = created[0]!._id;
    // The flow was called directly (nothing nudged): publish its invitation.sent here, so the only
    // message pending when the command runs is the one it writes.
    await inv.service.relay.drain();
    await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === id);
    // The command reads the real clock: make this one overdue by it.
    await inv.service.store.invitations.updateOne({ _id: id }, { $set: { expires_at: new Date(Date.now() - 1000) } });
    const cli = fileURLToPath(new URL('../src/cli/expire.ts', import.meta.url));
    const dry = spawnSync(process.execPath, [cli, '--dry-run'], {
      env: { ...process.env, MONGO_URL: inv.env.MONGO_URL },
      encoding: 'utf8',
    });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toBe('1 overdue pending invitation(s) would be expired\n');
    // Nowhere to publish to: a usage error (exit 2) before anything is expired.
    const nowhere = spawnSync(process.execPath, [cli, '--publish'], {
      env: { ...process.env, MONGO_URL: inv.env.MONGO_URL, AMQP_URL: '' },
      encoding: 'utf8',
    });
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain('invitations:expire: --publish needs AMQP_URL');
    expect(nowhere.stderr).toContain('Usage: ./convene invitations:expire');
    const run = spawnSync(process.execPath, [cli, '--publish'], {
      env: {
        ...process.env,
        MONGO_URL: inv.env.MONGO_URL,
        AMQP_URL: inv.env.AMQP_URL,
        BUS_NAMESPACE: inv.env.BUS_NAMESPACE,
      },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    // The only overdue one (the sweep above left none), and its invitation.expired the only message
    // pending: the service's relay is nudged by nothing here (no request, message or job) and polls
    // every ten minutes.
    expect(run.stdout).toBe('1 invitation(s) expired\npublished: 1 message(s)\n');
    await inv.probe.waitFor('invitation.expired', (e) => e.data.invitation_id === id);
  });
});
