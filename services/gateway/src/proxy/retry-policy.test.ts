import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { noteWritten, type WriteNote } from './note-written.ts';
import { mayRetry } from './upstream-failure.ts';

const socketClosed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const headersTimeout = Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' });

describe('mayRetry', () => {
  it('retries a request that was never written, whatever its method and body', () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
      expect(mayRetry(socketClosed, { method, written: false, hasBody: true }), method).toBe(true);
      expect(mayRetry(reset, { method, written: false, hasBody: false }), method).toBe(true);
    }
  });

  it('retries a written request only when it is a bodiless GET, HEAD or OPTIONS', () => {
    expect(mayRetry(socketClosed, { method: 'GET', written: true, hasBody: false })).toBe(true);
    expect(mayRetry(socketClosed, { method: 'HEAD', written: true, hasBody: false })).toBe(true);
    expect(mayRetry(socketClosed, { method: 'GET', written: true, hasBody: true })).toBe(false);
    expect(mayRetry(socketClosed, { method: 'POST', written: true, hasBody: false })).toBe(false);
    expect(mayRetry(socketClosed, { method: 'PATCH', written: true, hasBody: true })).toBe(false);
  });

  it('does not retry what is not a closed socket (a refused connect, a timeout)', () => {
    expect(mayRetry(refused, { method: 'GET', written: false, hasBody: false })).toBe(false);
    expect(mayRetry(headersTimeout, { method: 'GET', written: true, hasBody: false })).toBe(false);
    const timedOutReset = Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT', cause: reset });
    expect(mayRetry(timedOutReset, { method: 'GET', written: true, hasBody: false })).toBe(false);
  });
});

describe('noteWritten', () => {
  it('tells a request that reached a socket from one that never did', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const live = new Pool(`http://127.0.0.1:${port}`).compose(noteWritten);
    try {
      const sent: WriteNote = { written: false };
      const { body } = await live.request({ path: '/', method: 'POST', body: 'x', opaque: sent });
      expect(await body.text()).toBe('ok');
      expect(sent.written).toBe(true);
    } finally {
      await live.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // Nothing listens there any more: the connect fails before anything could be written.
    const gone = new Pool(`http://127.0.0.1:${port}`).compose(noteWritten);
    try {
      const never: WriteNote = { written: false };
      await expect(gone.request({ path: '/', method: 'POST', body: 'x', opaque: never })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
      expect(never.written).toBe(false);
    } finally {
      await gone.close();
    }
  });
});
