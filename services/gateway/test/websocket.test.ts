import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startGateway, type TestGateway } from './support/gateway.ts';

let gw: TestGateway;
let notifier: Server;
let notifierUrl: string;

/** A notifier stand-in: greets with the headers it received, then echoes every message. */
async function startNotifier() {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (req.url?.includes('refuse=1')) {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"detail":"nope."}',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.send(JSON.stringify({ type: 'hello', url: req.url, headers: req.headers }));
      ws.on('message', (data) => ws.send(data.toString()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, wss, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  const started = await startNotifier();
  notifier = started.server;
  notifierUrl = started.url;
  gw = await startGateway({ env: { NOTIFIER_URL: notifierUrl } });
});
afterAll(async () => {
  await gw.close();
  notifier.closeAllConnections();
  await new Promise((resolve) => notifier.close(resolve));
});

function connect(path: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(gw.url.replace('http', 'ws') + path, { headers });
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(data.toString());
    waiters.shift()?.();
  });
  return {
    ws,
    opened: new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    refused: new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    ),
    next: () =>
      new Promise<string>((resolve) =>
        messages.length ? resolve(messages.shift()!) : waiters.push(() => resolve(messages.shift()!)),
      ),
  };
}

describe('WebSocket pass-through', () => {
  it('carries messages both ways for a signed-in user, with the forwarding headers', async () => {
    const token = await gw.token();
    const client = connect('/api/notifications/ws?since=5', {
      authorization: `Bearer ${token}`,
      'x-request-id': 'ws-1',
    });
    await client.opened;
    const hello = JSON.parse(await client.next());
    expect(hello.url).toBe('/api/notifications/ws?since=5');
    expect(hello.headers.authorization).toBe(`Bearer ${token}`);
    expect(hello.headers['x-request-id']).toBe('ws-1');
    expect(hello.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(hello.headers.traceparent).toMatch(/^00-/);
    client.ws.send('ping 1');
    expect(await client.next()).toBe('ping 1');
    client.ws.send('x'.repeat(200_000));
    expect((await client.next()).length).toBe(200_000);
    client.ws.close();
  });

  it('accepts the access_token cookie', async () => {
    const client = connect('/api/notifications/ws', { cookie: `theme=dark; access_token=${await gw.token()}` });
    await client.opened;
    expect(JSON.parse(await client.next()).type).toBe('hello');
    client.ws.close();
  });

  it('refuses an upgrade without a valid token with 401', async () => {
    expect(await connect('/api/notifications/ws').refused).toBe(401);
    expect(await connect('/api/notifications/ws', { authorization: 'Bearer junk' }).refused).toBe(401);
  });

  it('refuses upgrades anywhere else with 404', async () => {
    expect(await connect('/api/events', { authorization: `Bearer ${await gw.token()}` }).refused).toBe(404);
    expect(await connect('/internal/ws').refused).toBe(404);
  });

  it('relays the service’s own refusal', async () => {
    expect(
      await connect('/api/notifications/ws?refuse=1', { authorization: `Bearer ${await gw.token()}` }).refused,
    ).toBe(403);
  });

  it('answers 502 when the notifier is down', async () => {
    const down = await startGateway({ env: { NOTIFIER_URL: 'http://127.0.0.1:1' } });
    try {
      const ws = new WebSocket(`${down.url.replace('http', 'ws')}/api/notifications/ws`, {
        headers: { authorization: `Bearer ${await down.token()}` },
      });
      const status = await new Promise<number>((resolve) =>
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
      );
      expect(status).toBe(502);
    } finally {
      await down.close();
    }
  });
});
