import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventBody, expectProblem, type SystemStack, signUp, startSystem } from '../src/index.ts';

/** Opens a socket through the gateway; resolves with it and its first frame, or rejects with the refusal. */
function connect(url: string, protocols: string[], headers: Record<string, string> = {}) {
  return new Promise<{ socket: WebSocket; first: { type: string; data: Record<string, unknown> } }>(
    (resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), protocols, { headers });
      socket.once('message', (raw) => resolve({ socket, first: JSON.parse(raw.toString()) }));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    },
  );
}

/** The gateway's rules for the notifier: the WebSocket's token as a subprotocol, and the public unsubscribe link. */
describe('notifier routes through the gateway', () => {
  let stack: SystemStack;
  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'notifier'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('opens a WebSocket whose token comes in Sec-WebSocket-Protocol (convene.v1, bearer.<jwt>), as browsers send it', async () => {
    const user = await signUp(stack.api);
    const { socket, first } = await connect(`${stack.url}/api/notifications/ws`, [
      'convene.v1',
      `bearer.${user.token}`,
    ]);
    expect(socket.protocol).toBe('convene.v1');
    expect(first).toEqual({ type: 'ready', data: { unread_count: 0 } });
    socket.close();
  });

  it('refuses a bad subprotocol token, and never takes a token from the URL', async () => {
    const user = await signUp(stack.api);
    await expect(connect(`${stack.url}/api/notifications/ws`, ['convene.v1', 'bearer.not-a-jwt'])).rejects.toThrow(
      /401/,
    );
    await expect(
      connect(`${stack.url}/api/notifications/ws?access_token=${user.token}`, ['convene.v1']),
    ).rejects.toThrow(/401/);
    await expect(connect(`${stack.url}/api/notifications/ws?token=${user.token}`, ['convene.v1'])).rejects.toThrow(
      /401/,
    );
  });

  it('answers the List-Unsubscribe link without a session (one-click POST and the GET of the footer link)', async () => {
    const host = await signUp(stack.api);
    const guest = await signUp(stack.api);
    const event = await stack.api.post('/api/events', eventBody(), { token: host.token });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    const registered = await stack.api.post(`/api/events/${event.body.id}/register`, {}, { token: guest.token });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const mail = await stack.smtp.waitFor((m) => m.to.includes(guest.person.email), 30_000);
    const line = mail.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const link = /<([^>]+)>/.exec(line)![1]!;
    expect(link.startsWith(`${stack.url}/api/notifications/unsubscribe/`)).toBe(true);
    const path = link.slice(stack.url.length);

    // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click`, with no cookie and no token.
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.json()).toEqual({
      email: guest.person.email.toLowerCase(),
      category: 'registrations',
      unsubscribed: true,
    });
    const clicked = await stack.api.get(path);
    expect(clicked.status, JSON.stringify(clicked.body)).toBe(200);
    expect(clicked.body.unsubscribed).toBe(true);

    // A link that was not signed by the notifier is refused by the notifier (not 401 at the edge).
    expectProblem(await stack.api.get(`${path.slice(0, -4)}AAAA`), 400, { code: 'INVALID_UNSUBSCRIBE_LINK' });
  });
});
