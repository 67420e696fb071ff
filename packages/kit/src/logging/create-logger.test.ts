import { describe, expect, it } from 'vitest';
import { capturedLogger } from '../test-helpers.ts';

describe('createLogger', () => {
  it('writes JSON lines with the service name and a readable level', () => {
    const { logger, lines } = capturedLogger('events');
    logger.info({ event_id: 'e1' }, 'event created');
    expect(lines[0]).toMatchObject({ service: 'events', level: 'info', event_id: 'e1', msg: 'event created' });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it('redacts credentials at any of the first three levels', () => {
    const { logger, lines } = capturedLogger();
    logger.info(
      {
        authorization: 'Bearer a',
        password: 'p1',
        headers: { authorization: 'Bearer b', cookie: 'access_token=c', 'set-cookie': 'refresh=d' },
        req: { headers: { authorization: 'Bearer e' }, body: { password: 'p2' } },
        body: { token: 't', refresh: 'r', access: 'x', new_password: 'np' },
      },
      'login',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of [
      'Bearer a',
      'Bearer b',
      'access_token=c',
      'refresh=d',
      'Bearer e',
      'p1',
      'p2',
      '"t"',
      '"r"',
      '"x"',
      'np',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ password: '[redacted]', headers: { cookie: '[redacted]' } });
  });

  it('redacts case-insensitively, in child bindings too, and never changes the caller object', () => {
    const { logger, lines } = capturedLogger();
    const headers = { Authorization: 'Bearer secret-1', accept: 'application/json' };
    const fields = { headers, user_id: 'u1' };
    logger.child({ token: 'secret-2' }).warn(fields, 'call');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('secret-1');
    expect(text).not.toContain('secret-2');
    expect(lines[0]).toMatchObject({ token: '[redacted]', headers: { accept: 'application/json' }, user_id: 'u1' });
    expect(headers.Authorization).toBe('Bearer secret-1');
    expect(fields.headers).toBe(headers);
  });

  it('leaves errors to the error serializer, next to redacted fields', () => {
    const { logger, lines } = capturedLogger();
    logger.error({ err: new Error('boom'), password: 'p3' }, 'failed');
    expect(lines[0]).toMatchObject({ password: '[redacted]', err: { type: 'Error', message: 'boom' } });
    expect(JSON.stringify(lines[0])).toContain('"stack"');
  });
});
