import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { futureIso, type RunningEvents, startEvents } from './support/harness.ts';
import { testUser } from './support/jwks.ts';

/** Two replicas of the service on one database: the quota must hold across them. */
describe('event creation quota', () => {
  let a: RunningEvents;
  let b: RunningEvents;
  beforeAll(async () => {
    a = await startEvents({ JOBS_ENABLED: 'false' });
    b = await startEvents(
      { JOBS_ENABLED: 'false' },
      { database: a.database, namespace: a.namespace, issuer: a.issuer },
    );
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const body = (title: string) => ({ title, start_time: futureIso(24), location: 'Here', max_participants: 10 });

  it('the 6th event in 24 h gets 429 with Retry-After', async () => {
    const token = await a.token(testUser('maker'));
    for (let i = 1; i <= 5; i++)
      expect((await a.api.post('/api/events', body(`Event ${i}`), { token })).status).toBe(201);
    const sixth = await b.api.post('/api/events', body('Event 6'), { token });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(24 * 3600 - 120);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(sixth.body).toMatchObject({ status: 429, code: 'EVENT_QUOTA_EXCEEDED' });
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
    // Age the recorded creations by 24 h (as if a day had passed).
    const doc = await a.service.store.quotas.findById(user.id).lean();
    await a.service.store.quotas.updateOne(
      { _id: user.id },
      { $set: { stamps: doc!.stamps.map((s: Date) => new Date(s.getTime() - 24 * 3_600_000 - 1000)) } },
    );
    expect((await b.api.post('/api/events', body('P6'), { token })).status).toBe(201);
  });
});
