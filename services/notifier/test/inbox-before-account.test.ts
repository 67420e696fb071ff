import { randomUUID } from 'node:crypto';
import { markerId } from '@convene/bus';
import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationSent } from './support/facts.ts';
import { type Harness, mailTo, startHarness } from './support/harness.ts';

interface Inbox {
  count: number;
  unread_count: number;
  results: Array<{ id: string; type: string; data: Record<string, unknown> }>;
}

describe('mail sent before the account existed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  const inboxOf = async (token: string): Promise<Inbox> => {
    const res = await fetch(`${h.replicas[0]!.url}/api/notifications`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Inbox;
  };

  it('an invitation to an address nobody had signed up with joins the inbox when that address registers, once', async () => {
    const tag = randomUUID().slice(0, 8);
    const email = `late-${tag}@example.com`;
    const invited = invitationSent({ invitee: { user_id: null, email, name: 'Late Larry' } });
    await h.publish('invitation.sent', invited);
    await h.smtp.waitFor((m) => m.to.includes(email));

    const userId = `u-late-${tag}`;
    const token = h.tokens.signIn({ id: userId, email });
    expect((await inboxOf(token)).count).toBe(0);
    const registered = {
      user_id: userId,
      username: `late${tag}`,
      // The address as the person typed it: matched without regard to case.
      email: `Late-${tag}@Example.com`,
      first_name: 'Late',
      last_name: 'Larry',
      role: 'user' as const,
      status: 'active' as const,
    };
    await h.publish('user.registered', registered);
    const inbox = await eventually(
      async () => {
        const seen = await inboxOf(token);
        // The count and the page are two reads: an entry written between them is in one only.
        expect(seen.count).toBe(1);
        expect(seen.results).toHaveLength(1);
        return seen;
      },
      { timeoutMs: 20_000 },
    );
    expect(inbox.unread_count).toBe(1);
    expect(inbox.results[0]).toMatchObject({ type: 'invitation-sent' });
    expect(inbox.results[0]!.data).toMatchObject({
      invitation_id: invited.invitation_id,
      event_id: invited.event_id,
      source: 'invitation.sent',
    });

    // The same registration announced again (a new envelope, so not stopped by the bus's marker):
    // once its handler has finished (its marker says done), the inbox still has the one entry.
    const repeat = await h.publish('user.registered', registered);
    const markers = h.replicas[0]!.service.store.connection.collection('processed_messages');
    const handled = markerId('notifier', 'projections', 'user.registered', repeat.id);
    await eventually(() => markers.findOne({ _id: handled as never, state: 'done' }), {
      timeoutMs: 20_000,
      what: 'the repeated registration handled',
    });
    expect((await inboxOf(token)).count).toBe(1);
    // A later invitation to the address goes straight to the account's inbox.
    const second = invitationSent({ invitee: { user_id: null, email, name: 'Late Larry' } });
    await h.publish('invitation.sent', second);
    const after = await eventually(
      async () => {
        const seen = await inboxOf(token);
        // The count and the page are two reads: an entry written between them is in one only.
        expect(seen.count).toBe(2);
        expect(seen.results).toHaveLength(2);
        return seen;
      },
      { timeoutMs: 20_000 },
    );
    expect(after.results.map((r) => r.data.invitation_id).sort()).toEqual(
      [invited.invitation_id, second.invitation_id].sort(),
    );
    await h.smtp.waitFor((m) => m.to.includes(email) && m.text.includes(second.invite_url), 20_000);
    expect(mailTo(h.smtp, email)).toHaveLength(2);
  });
});
