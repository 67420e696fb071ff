import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../src/mail/mailer.ts';
import { invitationSent } from './support/facts.ts';
import { deliveriesFor, type Harness, mailTo, startHarness } from './support/harness.ts';

describe('exactly once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ replicas: 2 });
  });
  afterAll(async () => h?.stop());

  it('the same domain event delivered twice, to two replicas consuming together: one email each', async () => {
    const invitations = Array.from({ length: 20 }, () => invitationSent());
    const events = [];
    for (const data of invitations) events.push(await h.publish('invitation.sent', data));
    for (const event of events) await h.republish(event);
    for (const data of invitations) await h.smtp.waitFor((m) => m.to.includes(data.invitee.email));
    // Marker after the duplicates: once its email is in, every duplicate before it has been handled.
    const marker = invitationSent();
    await h.publish('invitation.sent', marker);
    await h.smtp.waitFor((m) => m.to.includes(marker.invitee.email));
    for (const data of invitations) {
      await eventually(async () => (await deliveriesFor(h, data.invitee.email)).every((d) => d.status === 'sent'));
      expect(mailTo(h.smtp, data.invitee.email)).toHaveLength(1);
      const log = await deliveriesFor(h, data.invitee.email);
      expect(log).toHaveLength(1);
      expect(log[0]!.attempts).toBe(1);
      expect(log[0]!.provider_message_id).toMatch(/^<.+>$/);
    }
  });
});

describe('SMTP outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ replicas: 2 });
  });
  afterAll(async () => h?.stop());

  it('loses no email: retries with backoff while SMTP is down, each email arrives exactly once when it is back', async () => {
    await h.smtpProxy.stop();
    const invitations = Array.from({ length: 10 }, () => invitationSent());
    for (const data of invitations) await h.publish('invitation.sent', data);
    // Still consuming while SMTP is down: every delivery is logged, and has failed at least twice.
    await eventually(
      async () => {
        for (const data of invitations) {
          const [d] = await deliveriesFor(h, data.invitee.email);
          if (d?.status !== 'queued' || d.attempts < 2) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, what: 'two failed attempts for every delivery' },
    );
    expect(h.smtp.messages.filter((m) => invitations.some((i) => m.to.includes(i.invitee.email)))).toHaveLength(0);

    await h.smtpProxy.start();
    for (const data of invitations) await h.smtp.waitFor((m) => m.to.includes(data.invitee.email), 30_000);
    const marker = invitationSent();
    await h.publish('invitation.sent', marker);
    await h.smtp.waitFor((m) => m.to.includes(marker.invitee.email), 30_000);
    for (const data of invitations) {
      expect(mailTo(h.smtp, data.invitee.email)).toHaveLength(1);
      const [d] = await deliveriesFor(h, data.invitee.email);
      expect(d!.status).toBe('sent');
      expect(d!.attempts).toBeGreaterThanOrEqual(3);
      const retries = d!.attempt_log.filter((a) => a.outcome === 'retry');
      expect(retries.length).toBe(d!.attempts - 1);
      expect(retries[0]!.error).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
      expect(d!.attempt_log.at(-1)!.outcome).toBe('sent');
    }
  });
});

describe('a refused address', () => {
  let h: Harness;
  const refused = new Set<string>();
  beforeAll(async () => {
    // The provider refusing one mailbox (550), delegating everything else to real SMTP.
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('is marked failed at once (5xx) and holds up no other email', async () => {
    const { service } = await h.addReplica({ CONSUMERS_ENABLED: 'true' }, { mailer: refusingMailer(h, refused) });
    await h.replicas[0]!.service.stop();
    const bad = invitationSent();
    const good = invitationSent();
    refused.add(bad.invitee.email);
    await h.publish('invitation.sent', bad);
    await h.publish('invitation.sent', good);
    await h.smtp.waitFor((m) => m.to.includes(good.invitee.email));
    const [failed] = await eventually(async () => {
      const log = await service.store.deliveries.find({ 'recipient.email': bad.invitee.email }).lean();
      return log[0]?.status === 'failed' ? log : null;
    });
    expect(failed!.attempts).toBe(1);
    expect(failed!.last_error).toContain('550');
    expect(mailTo(h.smtp, bad.invitee.email)).toHaveLength(0);
  });
});

function refusingMailer(h: Harness, refused: Set<string>): Mailer {
  let real: Mailer | undefined;
  return {
    async send(mail) {
      if (refused.has(mail.to.address)) {
        throw Object.assign(new Error('550 5.1.1 mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550 });
      }
      const { smtpMailer } = await import('../src/mail/mailer.ts');
      real ??= smtpMailer({
        host: '127.0.0.1',
        port: h.smtp.port,
        secure: false,
        pool: true,
        maxConnections: 2,
        timeoutMs: 3000,
      });
      return real.send(mail);
    },
    close() {
      real?.close();
    },
  };
}
