import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.ts';
import { type RunningServer, serve } from '../server/serve.ts';
import { createApp } from './create-app.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);

/** An app whose routes answer with what they read: JSON, text, bytes. */
function echoApp() {
  const app = createApp({
    service: 'x',
    logger,
    bodyLimitBytes: 1024,
    largeBodyRoutes: { 'POST /api/things/:id/import': 8 * 1024 },
  });
  app.post('/api/json', async (c) => c.json({ got: await c.req.json() }));
  app.post('/api/text', async (c) => c.json({ got: await c.req.text() }));
  app.post('/api/bytes', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.post('/api/things/:id/import', async (c) => c.json({ chars: (await c.req.text()).length }));
  return app;
}

const post = (path: string, body: string | Uint8Array, type?: string) =>
  echoApp().request(path, { method: 'POST', body, ...(type ? { headers: { 'content-type': type } } : {}) });

describe('checkBody (createApp)', () => {
  it.each([
    ['JSON', 'application/json'],
    ['JSON with a charset', 'application/json; charset=utf-8'],
    ['a +json type', 'application/merge-patch+json'],
    ['CSV', 'text/csv'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no type at all', undefined],
  ])('refuses %s that is not valid UTF-8 with 400 MALFORMED_BODY', async (_what, type) => {
    const body = Buffer.concat([Buffer.from('{"title":"'), INVALID_UTF8, Buffer.from('"}')]);
    const res = await post('/api/text', body, type);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({
      status: 400,
      code: 'MALFORMED_BODY',
      detail: 'Request body is not valid UTF-8.',
    });
  });

  it('hands valid UTF-8 on exactly, multi-byte characters included', async () => {
    const title = 'Zoë’s café 🎉 — 東京';
    const res = await post('/api/json', JSON.stringify({ title }), 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { title } });
  });

  it('refuses a text body in another charset with 415', async () => {
    const res = await post('/api/text', 'caf\xe9', 'text/plain; charset=iso-8859-1');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('leaves binary bodies alone', async () => {
    const res = await post('/api/bytes', INVALID_UTF8, 'application/octet-stream');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: INVALID_UTF8.length });
  });

  it('refuses a body over the limit with 413 and Connection: close', async () => {
    const res = await post('/api/text', 'x'.repeat(1025), 'text/plain');
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'Request body is larger than 1024 bytes.',
    });
  });

  it('lets the routes named in largeBodyRoutes take more, and only them', async () => {
    const body = 'y'.repeat(8 * 1024);
    expect(await (await post('/api/things/t1/import', body, 'text/csv')).json()).toEqual({ chars: 8 * 1024 });
    expect((await post('/api/things/t1/import', `${body}y`, 'text/csv')).status).toBe(413);
    expect((await post('/api/text', body, 'text/csv')).status).toBe(413);
  });
});

describe('checkBody on a real server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(echoApp(), { port: 0 });
  });
  afterAll(() => server.close());

  /** One request on `agent`; the status, the Connection header and the answer, or the socket error. */
  function send(agent: Agent, body: Buffer | string, { chunked = false } = {}) {
    const { port } = server;
    return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
      const req = request({ host: '127.0.0.1', port, path: '/api/text', method: 'POST', agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      });
      req.on('error', reject);
      if (chunked) {
        const text = Buffer.isBuffer(body) ? body : Buffer.from(body);
        for (let at = 0; at < text.length; at += 512) req.write(text.subarray(at, at + 512));
        req.end();
      } else {
        req.end(body);
      }
    });
  }

  it('answers an oversized body in full, closes that connection, and the next request on the pool works', async () => {
    // One keep-alive socket, reused whenever the server leaves it open: what the gateway's pool does.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let round = 0; round < 5; round++) {
        const refused = await send(agent, 'x'.repeat(64 * 1024), { chunked: round % 2 === 1 });
        expect(refused.status).toBe(413);
        expect(refused.connection).toBe('close');
        expect(JSON.parse(refused.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
        const next = await send(agent, `round ${round}`);
        expect([next.status, JSON.parse(next.body)]).toEqual([200, { got: `round ${round}` }]);
      }
    } finally {
      agent.destroy();
    }
  });
});
