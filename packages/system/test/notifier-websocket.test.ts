import { parseEnv } from '@convene/kit';
import { createService as createNotifier, Env as NotifierEnv, type NotifierService } from '@convene/notifier';
import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, type SystemStack, signUp, startSystem } from '../src/index.ts';
import { openNoticeSocket as openSocket } from './support/notice-socket.ts';

describe('real-time notices through the gateway, with two notifier replicas', () => {
  let stack: SystemStack;
  let second: NotifierService;

  beforeAll(async () => {
    // The replica behind the gateway holds the sockets and consumes nothing; the second replica
    // consumes every event. So each notice must cross from one replica to the other.
    stack = await startSystem({
      services: ['auth', 'events', 'invitations', 'notifier'],
      env: { notifier: { CONSUMERS_ENABLED: 'false' } },
    });
    const env = { ...stack.services.notifier!.env, CONSUMERS_ENABLED: 'true', PORT: '0' };
    second = await createNotifier(parseEnv(NotifierEnv, env));
    await second.start();
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  // How fast the notice arrives is measured in bench/notifier (bench/reports/notifier.md), not asserted here:
  // the bound below is only how long to wait before calling it a failure.
  it('B gets the invitation notice on every open socket when A invites B, and finds it in the inbox', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const ws = await openSocket(`${stack.url}/api/notifications/ws`, { authorization: `Bearer ${guest.token}` });
    expect(await ws.next('ready')).toEqual({ type: 'ready', data: { unread_count: 0 } });
    // The cookie works too, on another tab.
    const tab = await openSocket(`${stack.url}/api/notifications/ws`, { cookie: `access_token=${guest.token}` });
    expect(await tab.next('ready')).toEqual({ type: 'ready', data: { unread_count: 0 } });
    // B's account must be known to the notifier for the invitation (addressed by email) to reach the inbox.
    const { store } = second;
    await eventually(() => store.recipients.exists({ _id: guest.id }), {
      timeoutMs: 20_000,
      what: "the guest's account in the notifier's projection",
    });

    const event = await stack.api.post('/api/events', eventBody(), { token: host.token });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    const invited = await stack.api.post(
      `/api/events/${event.body.id}/invitations`,
      { emails: [guest.person.email], message: 'Come <b>along</b>' },
      { token: host.token },
    );
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);

    const notice = await ws.next('notification');
    expect(notice).toEqual({
      type: 'notification',
      data: {
        id: expect.any(String),
        type: 'invitation-sent',
        title: `${host.person.first_name} ${host.person.last_name} invited you to ${event.body.title}`,
        data: {
          source: 'invitation.sent',
          event_id: event.body.id,
          invitation_id: expect.any(String),
          url: expect.stringMatching(/\/invite\/\S+$/),
        },
        is_read: false,
        read_at: null,
        created_at: expect.any(String),
      },
    });
    const onTab = await tab.next('notification');
    expect(onTab).toEqual(notice);

    const inbox = await stack.api.get('/api/notifications', { token: guest.token });
    expect(inbox.status).toBe(200);
    expect(inbox.body.count).toBe(1);
    expect(inbox.body.unread_count).toBe(1);
    expect(inbox.body.results).toEqual([notice.data]);

    const read = await stack.api.post(
      `/api/notifications/${encodeURIComponent(String(notice.data.id))}/read`,
      {},
      { token: guest.token },
    );
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.is_read).toBe(true);
    const count = await stack.api.get('/api/notifications/unread-count', { token: guest.token });
    expect(count.body.unread_count).toBe(0);
    // Not the host's to read.
    const foreign = await stack.api.post(
      `/api/notifications/${encodeURIComponent(String(notice.data.id))}/read`,
      {},
      { token: host.token },
    );
    expect(foreign.status).toBe(404);

    const mail = await stack.smtp.waitFor((m) => m.to.includes(guest.person.email));
    expect(mail.html).toContain('Come &lt;b&gt;along&lt;/b&gt;');
    expect(mail.text).toMatch(new RegExp(`${stack.url.replace(/[.:/]/g, '\\$&')}/invite/\\S+`));
    // One notice per socket: nothing else arrived after the ready frame.
    expect(ws.frames.map((f) => f.type)).toEqual(['ready', 'notification']);
    expect(tab.frames.map((f) => f.type)).toEqual(['ready', 'notification']);
    ws.socket.close();
    tab.socket.close();
  });

  it('refuses a socket without a valid token', async () => {
    await expect(openSocket(`${stack.url}/api/notifications/ws`, {})).rejects.toThrow(/401/);
    await expect(openSocket(`${stack.url}/api/notifications/ws`, { authorization: 'Bearer nope' })).rejects.toThrow(
      /401/,
    );
  });
});
