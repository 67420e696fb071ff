import { describe, expect, it } from 'vitest';
import { createRouteMatcher, openApiPath } from './match-route.ts';
import { ROUTES } from './route-table.ts';

const match = createRouteMatcher();

function route(method: string, path: string) {
  const found = match(method, path);
  if (found.kind !== 'route') throw new Error(`${method} ${path} did not match (${found.reason})`);
  return { upstream: found.rule.upstream, access: found.rule.access, path: found.path };
}

describe('matchRoute', () => {
  it('tells public, optional and protected routes apart', () => {
    expect(route('POST', '/api/auth/login').access).toBe('public');
    expect(route('POST', '/api/auth/logout').access).toBe('public');
    expect(route('GET', '/api/auth/set-password/t').access).toBe('public');
    expect(route('GET', '/api/auth/profile').access).toBe('protected');
    expect(route('GET', '/api/events').access).toBe('optional');
    expect(route('HEAD', '/api/events/e1').access).toBe('optional');
    expect(route('GET', '/api/events/e1/participants').access).toBe('optional');
    expect(route('GET', '/api/events/e1/participants.csv').access).toBe('protected');
    expect(route('POST', '/api/events').access).toBe('protected');
    expect(route('PUT', '/api/events/e1').access).toBe('protected');
    expect(route('GET', '/api/events/mine').access).toBe('protected');
    expect(route('GET', '/api/events/my_events').access).toBe('protected');
    expect(route('GET', '/api/events/e1/feedback/summary').access).toBe('optional');
    expect(route('POST', '/api/events/e1/feedback').access).toBe('protected');
    expect(route('GET', '/api/invites/t').access).toBe('public');
    expect(route('POST', '/api/invites/t/accept').access).toBe('protected');
    expect(route('GET', '/api/notifications/ws').access).toBe('protected');
  });

  it('rewrites pure path aliases, keeping the client’s encoding of parameters', () => {
    expect(route('POST', '/api/register/')).toMatchObject({ upstream: 'auth', path: '/api/auth/register' });
    expect(route('POST', '/api/user/a%2Bb/resend-invitation')).toMatchObject({
      path: '/api/users/a%2Bb/resend-invitation',
    });
    expect(route('GET', '/api/events/my_events')).toMatchObject({ upstream: 'events', path: '/api/events/mine' });
  });

  it('passes canonical paths through exactly as sent, trailing slash included', () => {
    expect(route('GET', '/api/events/e%201/')).toMatchObject({ upstream: 'events', path: '/api/events/e%201/' });
    expect(route('GET', '/api/events/e1/invitations.csv')).toMatchObject({ upstream: 'invitations' });
    expect(route('GET', '/api/events/e1/participants.csv')).toMatchObject({ upstream: 'events' });
  });

  it.each([
    ['/internal/x', 'internal'],
    ['/Internal', 'internal'],
    ['/%69nternal/x', 'internal'],
    ['/api/events/../../internal', 'malformed'],
    ['/api/events/%2E%2E/x', 'malformed'],
    ['/api/events/a%2Fb', 'malformed'],
    ['/api/events/a%5Cb', 'malformed'],
    ['/api/events/%zz', 'malformed'],
    ['/api//events', 'malformed'],
    ['api/events', 'malformed'],
    ['/api/unknown', 'unknown'],
    ['/', 'malformed'],
  ])('refuses %s (%s)', (path, reason) => {
    expect(match('GET', path)).toEqual({ kind: 'none', reason });
  });

  it('routes every alias to the service that owns its canonical operation', () => {
    for (const rule of ROUTES.filter((r) => r.alias)) {
      const canonical = rule.alias!.path.replace(/\{[^}]+\}/g, 'x');
      expect(route(rule.alias!.method, canonical).upstream, rule.path).toBe(rule.upstream);
    }
  });

  it('refuses rules it cannot bucket or rewrite', () => {
    expect(() => createRouteMatcher([{ path: '/:x/y', upstream: 'auth', access: 'public' }])).toThrow(/two literal/);
    expect(() =>
      createRouteMatcher([{ path: '/api/a/:x', upstream: 'auth', access: 'public', rewrite: '/api/b/:y' }]),
    ).toThrow(/unknown parameter/);
  });
});

describe('openApiPath', () => {
  it('turns rule paths into OpenAPI templates', () => {
    expect(openApiPath('/api/user/:id/resend-invitation')).toBe('/api/user/{id}/resend-invitation');
    expect(openApiPath('/api/users/**')).toBe('/api/users');
  });
});
