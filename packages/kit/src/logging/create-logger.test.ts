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
});
