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

describe('access log', () => {
  it('logs one line per request with the status the client got and the service it went to', async () => {
    await fetch(`${gw.url}/api/events/e1?secret=query`, { headers: { 'x-request-id': 'log-1' } });
    const line = requestLines().find((l) => l.request_id === 'log-1');
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
    await fetch(`${gw.url}/api/invites/sekr1t-token`, { headers: { 'x-request-id': 'log-2' } });
    await fetch(`${gw.url}/api/auth/set-password/sekr1t-token`, { headers: { 'x-request-id': 'log-3' } });
    await fetch(`${gw.url}/invite/sekr1t-token`, { headers: { 'x-request-id': 'log-4' } });
    const logged = requestLines().filter((l) => ['log-2', 'log-3', 'log-4'].includes(String(l.request_id)));
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
    expect(lines.at(-1)).toMatchObject({ msg: 'probe', authorization: '[redacted]' });
  });
});
