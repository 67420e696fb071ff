import { createLogger } from '@convene/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';

const lines: Array<Record<string, unknown>> = [];
let gw: TestGateway;

beforeAll(async () => {
  const logger = createLogger({
    service: 'gateway',
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  gw = await startGateway({ logger });
});
afterAll(() => gw.close());

const requestLines = () => lines.filter((line) => line.msg === 'request');

/**
 * The access log lines of these requests, once all are written: the line is written when the
 * gateway is done with a request, which may be after the client has read the whole answer.
 */
async function loggedRequests(...ids: string[]) {
  const logged = () => requestLines().filter((line) => ids.includes(String(line.request_id)));
  await expect.poll(() => logged().length, { timeout: 10_000 }).toBe(ids.length);
  return logged();
}

/** GET through the gateway with this request id, reading the whole answer. */
async function get(path: string, requestId: string) {
  const response = await fetch(`${gw.url}${path}`, { headers: { 'x-request-id': requestId } });
  await response.arrayBuffer();
  return response;
}

describe('access log', () => {
  it('logs one line per request with the status the client got and the service it went to', async () => {
    expect((await get('/api/events/e1?secret=query', 'log-1')).status).toBe(200);
    const [line] = await loggedRequests('log-1');
    expect(line).toMatchObject({
      method: 'GET',
      path: '/api/events/e1',
      status: 200,
      upstream: 'events',
      service: 'gateway',
    });
    expect(JSON.stringify(line)).not.toContain('secret=query');
  });

  it('masks tokens travelling in paths, proxied or served by the gateway', async () => {
    await get('/api/invites/sekr1t-token', 'log-2');
    await get('/api/auth/set-password/sekr1t-token', 'log-3');
    await get('/invite/sekr1t-token', 'log-4');
    // Each request's access log line is the last thing written for it: once all three are there,
    // every line these requests will ever write is in `lines`.
    const logged = await loggedRequests('log-2', 'log-3', 'log-4');
    expect(logged.map((l) => l.path)).toEqual([
      '/api/invites/[redacted]',
      '/api/auth/set-password/[redacted]',
      '/invite/[redacted]',
    ]);
    expect(JSON.stringify(lines)).not.toContain('sekr1t-token');
  });

  it('still redacts secrets in the other lines (errors carry request details)', async () => {
    const logger = createLogger({
      service: 'gateway',
      level: 'info',
      destination: { write: (l: string) => void lines.push(JSON.parse(l)) },
    });
    logger.child({}).warn({ authorization: 'Bearer abc' }, 'probe');
    expect(lines.filter((line) => line.msg === 'probe')).toEqual([
      expect.objectContaining({ msg: 'probe', authorization: '[redacted]' }),
    ]);
  });
});
