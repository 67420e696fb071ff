import { type DomainEvent, envelope, openSealedToken } from '@convene/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvitationByToken } from '../src/flows/find-invitation-by-token.ts';
import { resendInvitation } from '../src/flows/resend-invitation.ts';
import { sendInvitations } from '../src/flows/send-invitations.ts';
import { person, type RunningInvitations, snapshot, startInvitations } from './support/harness.ts';

const options = {
  message: 'Come!',
  role: 'attendee' as const,
  is_vip: false,
  bypass_capacity: false,
  expires_in_ms: 7 * 86_400_000,
};

/** A resend keeps the link the invitee (and a client holding the token) has, unless asked to rotate it. */
describe('resending an invitation', () => {
  let inv: RunningInvitations;

  beforeAll(async () => {
    inv = await startInvitations({ MAX_RESENDS: '3' });
  });
  afterAll(async () => {
    await inv?.stop();
  });

  async function invited() {
    const host = person('host');
    const event = snapshot(host);
    await inv.publisher.publish([
      envelope({ type: 'event.created', source: 'events', subject: event.event_id, data: event }),
    ]);
    inv.events.set(event.event_id, event);
    const { created } = await sendInvitations(inv.service.flows, {
      eventId: event.event_id,
      actor: host,
      emails: [`${host.id}.guest@example.com`],
      userIds: [],
      ...options,
    });
    const id = created[0]!._id;
    const sent = await inv.probe.waitFor('invitation.sent', (e) => e.data.invitation_id === id);
    return { host, event, id, token: tokenOf(sent) };
  }

  const tokenOf = (m: DomainEvent<'invitation.sent' | 'invitation.resent'>) =>
    openSealedToken(m.data.sealed_token!, inv.linkKey, m.data.invitation_id);
  const resentMessage = (id: string, count: number) =>
    inv.probe.waitFor('invitation.resent', (e) => e.data.invitation_id === id && e.data.resend_count === count);

  it('resends by the same token three times, each email carrying that token, then 429', async () => {
    const { host, id, token } = await invited();
    for (let n = 1; n <= 3; n++) {
      const resent = await resendInvitation(inv.service.flows, { ref: token, actor: host });
      expect(resent.resend_count).toBe(n);
      expect(tokenOf(await resentMessage(id, n))).toBe(token);
    }
    await expect(resendInvitation(inv.service.flows, { ref: token, actor: host })).rejects.toMatchObject({
      status: 429,
      code: 'RESEND_LIMIT',
    });
    expect((await findInvitationByToken(inv.service.flows, token, 'test'))._id).toBe(id);
  });

  it('rotates on request: the old token opens nothing, the emailed new one opens the invitation', async () => {
    const { host, event, id, token } = await invited();
    const resent = await resendInvitation(inv.service.flows, {
      ref: id,
      eventId: event.event_id,
      actor: host,
      rotate: true,
    });
    expect(resent.resend_count).toBe(1);
    const fresh = tokenOf(await resentMessage(id, 1));
    expect(fresh).not.toBe(token);
    await expect(findInvitationByToken(inv.service.flows, token, 'test')).rejects.toMatchObject({
      status: 404,
      code: 'INVITATION_NOT_FOUND',
    });
    expect((await findInvitationByToken(inv.service.flows, fresh, 'test'))._id).toBe(id);
  });
});
