import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAuth, signedInUser, startAuth } from './support/harness.ts';

let auth: RunningAuth;
beforeAll(async () => {
  auth = await startAuth();
});
afterAll(async () => {
  await auth?.stop();
});

describe('service surface', () => {
  it('serves /healthz (the bus, a degraded dependency) and /readyz (its database, a required one)', async () => {
    const live = await auth.api.get('/healthz');
    expect([live.status, live.body]).toEqual([200, { status: 'ok', checks: { bus: 'ok' } }]);
    const ready = await auth.api.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { mongo: 'ok' } });
  });

  it('documents every canonical path in /openapi.json and marks the compatibility aliases deprecated', async () => {
    const res = await auth.api.get<{ paths: Record<string, Record<string, { deprecated?: boolean }>> }>(
      '/openapi.json',
    );
    expect(res.status).toBe(200);
    const { paths } = res.body;
    const canonical: Array<[string, string]> = [
      ['/api/auth/register', 'post'],
      ['/api/auth/login', 'post'],
      ['/api/auth/token/refresh', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/auth/profile', 'get'],
      ['/api/auth/profile', 'put'],
      ['/api/auth/profile', 'patch'],
      ['/api/auth/change-password', 'post'],
      ['/.well-known/jwks.json', 'get'],
      ['/api/users', 'post'],
      ['/api/users', 'get'],
      ['/api/users/inactive', 'get'],
      ['/api/users/{id}/resend-invitation', 'post'],
      ['/api/users/bulk', 'post'],
      ['/api/auth/set-password/{token}', 'get'],
      ['/api/auth/set-password/{token}', 'post'],
    ];
    for (const [path, method] of canonical) {
      expect(paths[path]?.[method], `${method} ${path}`).toEqual(
        expect.objectContaining({ responses: expect.any(Object) }),
      );
      expect(paths[path]?.[method]?.deprecated, `${method} ${path}`).not.toBe(true);
    }
    const aliases: Array<[string, string]> = [
      ['/api/register', 'post'],
      ['/api/login', 'post'],
      ['/api/auth/profile/update', 'put'],
      ['/api/user/{id}/resend-invitation', 'post'],
    ];
    for (const [path, method] of aliases) expect(paths[path]?.[method]?.deprecated, `${method} ${path}`).toBe(true);
  });

  it('answers unknown paths with a 404 problem', async () => {
    const res = await auth.api.get('/api/auth/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('serves an internal snapshot of an account for other services', async () => {
    const session = await signedInUser(auth.api);
    const res = await auth.api.get(`/internal/users/${session.user.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user_id: session.user.id,
      username: session.user.username,
      status: 'active',
      timezone: null,
      locale: null,
    });
    expect((await auth.api.get('/internal/users/unknown')).status).toBe(404);
  });

  it('drains the outbox even when no consumer is bound to the events', async () => {
    const session = await signedInUser(auth.api);
    const db = auth.service.mongo.db;
    if (!db) throw new Error('the service has no database connection');
    const users = db.collection<{ _id: string; outbox?: unknown[] }>('users');
    // The account is there (so an empty count below means an empty outbox, not a wrong query).
    expect(await users.countDocuments({ _id: session.user.id })).toBe(1);
    await expect
      .poll(() => users.countDocuments({ 'outbox.0': { $exists: true } }), { timeout: 20_000, interval: 50 })
      .toBe(0);
  });
});
