import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL } from '../src/http/websocket-routes.ts';
import { type Harness, startHarness } from './support/harness.ts';

/** A socket to one replica, opened with the subprotocol token a browser uses; resolves on its ready frame. */
async function openSocket(url: string, token: string) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/notifications/ws`, [WS_PROTOCOL, `bearer.${token}`]);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const ready = await new Promise<unknown>((resolve, reject) => {
    socket.once('message', (raw) => resolve(JSON.parse(raw.toString())));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return { socket, ready, closed };
}

describe("the notifier's sockets and stop()", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  it('kit serves the upgrade, and stop() ends the open sockets instead of waiting for the clients to leave', async () => {
    const replica = await h.addReplica();
    const token = h.tokens.signIn({ id: 'u-socket-on-stop' });
    const first = await openSocket(replica.url, token);
    const second = await openSocket(replica.url, token);
    expect(first.ready).toEqual({ type: 'ready', data: { unread_count: 0 } });
    expect(second.ready).toEqual({ type: 'ready', data: { unread_count: 0 } });

    // Resolves only if the server closed: an open upgraded socket would hold it (the clients never close).
    await replica.service.stop();
    // 1006: the connection was cut by the server without a close frame (terminate).
    expect(await first.closed).toBe(1006);
    expect(await second.closed).toBe(1006);
    await expect(fetch(`${replica.url}/healthz`)).rejects.toThrow();
  });
});
