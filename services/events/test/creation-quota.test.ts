import { testUser } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureIso, type RunningEvents, startEvents, TestClock } from './support/harness.ts';

const hour = 3_600_000;

/** Two replicas of the service on one database: the quota must hold across them. */
describe('event creation quota', () => {
  let a: RunningEvents;
  let b: RunningEvents;
  // Both replicas read one clock that stands still unless the test moves it, so times are exact.
  const clock = new TestClock(new Date());
  beforeAll(async () => {
    a = await startEvents({ JOBS_ENABLED: 'false' }, { clock });
    b = await startEvents(
      { JOBS_ENABLED: 'false' },
      { database: a.database, namespace: a.namespace, issuer: a.issuer, clock },
    );
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  // Three days after the services' "now", wherever the test has moved it.
  const body = (title: string) => ({
    title,
    start_time: futureIso(72, clock.now().getTime()),
    location: 'Here',
    max_participants: 10,
  });

  it('the 6th event in 24 h gets 429 with Retry-After', async () => {
    const token = await a.token(testUser('maker'));
    for (let i = 1; i <= 5; i++)
      expect((await a.api.post('/api/events', body(`Event ${i}`), { token })).status).toBe(201);
    const sixth = await b.api.post('/api/events', body('Event 6'), { token });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('content-type')).toContain('application/problem+json');
    // All five at this instant: the first leaves the window exactly 24 h from now.
    expect(sixth.headers.get('retry-after')).toBe(String(24 * 3600));
    expect(sixth.body).toMatchObject({ status: 429, code: 'EVENT_QUOTA_EXCEEDED' });
    clock.advance(hour);
    const later = await a.api.post('/api/events', body('Event 6, an hour later'), { token });
    expect([later.status, later.headers.get('retry-after')]).toEqual([429, String(23 * 3600)]);
    // Others are not affected.
    expect((await a.api.post('/api/events', body('Mine'), { token: await a.token(testUser('other')) })).status).toBe(
      201,
    );
  });

  it('holds under 12 concurrent creations spread over two replicas: exactly 5 are created', async () => {
    const token = await a.token(testUser('racer'));
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).api.post('/api/events', body(`Race ${i}`), { token })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('frees a slot when the oldest creation leaves the rolling window', async () => {
    const user = testUser('patient');
    const token = await a.token(user);
    for (let i = 0; i < 5; i++) expect((await a.api.post('/api/events', body(`P${i}`), { token })).status).toBe(201);
    expect((await a.api.post('/api/events', body('P5'), { token })).status).toBe(429);
    // A second before the day is over the window is still full...
    clock.advance(24 * hour - 1000);
    const almost = await b.api.post('/api/events', body('P5, almost a day later'), { token });
    expect([almost.status, almost.headers.get('retry-after')]).toEqual([429, '1']);
    // ...and when the oldest creation is exactly a day old, its slot is free again (on either replica).
    clock.advance(1000);
    expect((await b.api.post('/api/events', body('P6'), { token })).status).toBe(201);
  });
});
