import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoed, rawRequest, startGateway, type TestGateway } from './support/gateway.ts';

let gw: TestGateway;
let auth: Record<string, string>;

beforeAll(async () => {
  gw = await startGateway();
  auth = { authorization: `Bearer ${await gw.token()}` };
});
afterAll(() => gw.close());

// [method, path sent to the gateway, service that must answer, path (and query) it must receive]
const CANONICAL: Array<[string, string, string, string]> = [
  ['POST', '/api/auth/register', 'auth', '/api/auth/register'],
  ['POST', '/api/auth/login/', 'auth', '/api/auth/login/'],
  ['POST', '/api/auth/token/refresh', 'auth', '/api/auth/token/refresh'],
  ['POST', '/api/auth/logout', 'auth', '/api/auth/logout'],
  ['GET', '/api/auth/profile', 'auth', '/api/auth/profile'],
  ['PATCH', '/api/auth/profile', 'auth', '/api/auth/profile'],
  ['POST', '/api/auth/change-password', 'auth', '/api/auth/change-password'],
  ['GET', '/.well-known/jwks.json', 'auth', '/.well-known/jwks.json'],
  ['POST', '/api/users', 'auth', '/api/users'],
  ['GET', '/api/users?status=invited', 'auth', '/api/users?status=invited'],
  ['GET', '/api/users/inactive/', 'auth', '/api/users/inactive/'],
  ['POST', '/api/users/u1/resend-invitation', 'auth', '/api/users/u1/resend-invitation'],
  ['POST', '/api/users/bulk', 'auth', '/api/users/bulk'],
  ['GET', '/api/auth/set-password/tok123', 'auth', '/api/auth/set-password/tok123'],
  ['GET', '/api/events?search=python&page=2', 'events', '/api/events?search=python&page=2'],
  ['POST', '/api/events', 'events', '/api/events'],
  ['GET', '/api/events/e1', 'events', '/api/events/e1'],
  ['DELETE', '/api/events/e1/', 'events', '/api/events/e1/'],
  ['GET', '/api/events/upcoming', 'events', '/api/events/upcoming'],
  ['GET', '/api/events/mine', 'events', '/api/events/mine'],
  ['POST', '/api/events/e1/register', 'events', '/api/events/e1/register'],
  ['DELETE', '/api/events/e1/unregister', 'events', '/api/events/e1/unregister'],
  ['GET', '/api/events/e1/participants', 'events', '/api/events/e1/participants'],
  ['DELETE', '/api/events/e1/waitlist', 'events', '/api/events/e1/waitlist'],
  ['POST', '/api/events/e1/offer/accept', 'events', '/api/events/e1/offer/accept'],
  ['POST', '/api/events/e1/registrations/r1/check-in', 'events', '/api/events/e1/registrations/r1/check-in'],
  ['GET', '/api/events/e1/participants.csv', 'events', '/api/events/e1/participants.csv'],
  ['GET', '/api/events/e1/calendar.ics', 'events', '/api/events/e1/calendar.ics'],
  ['GET', '/api/my-registrations', 'events', '/api/my-registrations'],
  ['GET', '/api/my-registrations/past/', 'events', '/api/my-registrations/past/'],
  ['POST', '/api/events/e1/invitations', 'invitations', '/api/events/e1/invitations'],
  ['POST', '/api/events/e1/invitations/import', 'invitations', '/api/events/e1/invitations/import'],
  ['GET', '/api/events/e1/invitations?status=pending', 'invitations', '/api/events/e1/invitations?status=pending'],
  ['PATCH', '/api/events/e1/invitations/i1', 'invitations', '/api/events/e1/invitations/i1'],
  ['POST', '/api/events/e1/invitations/i1/resend', 'invitations', '/api/events/e1/invitations/i1/resend'],
  ['GET', '/api/events/e1/invitations.csv', 'invitations', '/api/events/e1/invitations.csv'],
  ['GET', '/api/events/e1/invitations/stats/', 'invitations', '/api/events/e1/invitations/stats/'],
  ['GET', '/api/invitations', 'invitations', '/api/invitations'],
  ['PUT', '/api/invitations/i1', 'invitations', '/api/invitations/i1'],
  ['GET', '/api/attendee-invitations/verify/t1/', 'invitations', '/api/attendee-invitations/verify/t1/'],
  ['POST', '/api/attendee-invitations/accept', 'invitations', '/api/attendee-invitations/accept'],
  ['POST', '/api/attendee-invitations/reject', 'invitations', '/api/attendee-invitations/reject'],
  ['POST', '/api/events/e1/feedback', 'feedback', '/api/events/e1/feedback'],
  ['GET', '/api/events/e1/feedback?page=1', 'feedback', '/api/events/e1/feedback?page=1'],
  ['GET', '/api/events/e1/feedback/summary', 'feedback', '/api/events/e1/feedback/summary'],
  ['PUT', '/api/events/e1/feedback/mine', 'feedback', '/api/events/e1/feedback/mine'],
  ['GET', '/api/notifications', 'notifier', '/api/notifications'],
  ['POST', '/api/notifications/n1/read', 'notifier', '/api/notifications/n1/read'],
  ['POST', '/api/notifications/read-all', 'notifier', '/api/notifications/read-all'],
  ['GET', '/api/notifications/deliveries', 'notifier', '/api/notifications/deliveries'],
];

const ALIASES: Array<[string, string, string, string]> = [
  ['POST', '/api/register/', 'auth', '/api/auth/register'],
  ['POST', '/api/login/', 'auth', '/api/auth/login'],
  ['PUT', '/api/auth/profile/update/', 'auth', '/api/auth/profile'],
  ['POST', '/api/user/u%201/resend-invitation/', 'auth', '/api/users/u%201/resend-invitation'],
  ['GET', '/api/events/my_events/?page=2', 'events', '/api/events/mine?page=2'],
  ['GET', '/api/events/e1/attendees/', 'events', '/api/events/e1/attendees/'],
  ['POST', '/api/events/e1/invite/', 'invitations', '/api/events/e1/invite/'],
  ['POST', '/api/invites', 'invitations', '/api/invites'],
  ['GET', '/api/invites/tok1', 'invitations', '/api/invites/tok1'],
  ['DELETE', '/api/invites/tok1', 'invitations', '/api/invites/tok1'],
  ['POST', '/api/invites/tok1/resend', 'invitations', '/api/invites/tok1/resend'],
  ['POST', '/api/invites/tok1/accept', 'invitations', '/api/invites/tok1/accept'],
  ['GET', '/api/trees/e1/invites', 'invitations', '/api/trees/e1/invites'],
];

describe('gateway routing', () => {
  it.each(CANONICAL)('%s %s → %s', async (method, path, service, received) => {
    const echo = await echoed(await fetch(gw.url + path, { method, headers: auth }));
    expect(echo.service).toBe(service);
    expect(echo.method).toBe(method);
    expect(echo.url).toBe(received);
  });

  it.each(ALIASES)('alias %s %s → %s %s', async (method, path, service, received) => {
    const echo = await echoed(await fetch(gw.url + path, { method, headers: auth }));
    expect(echo.service).toBe(service);
    expect(echo.url).toBe(received);
  });

  it.each([
    '/internal/users/u1',
    '/internal/',
    '/INTERNAL/x',
    '/%69nternal/x',
    '/api/events/%2e%2e/%2e%2e/internal/x',
    '/api/events/e1%2F..%2F..%2Finternal',
    '/api//events',
  ])('never exposes %s (404)', async (path) => {
    const response = await rawRequest(gw.url, path, { headers: auth });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('answers 404 problem+json for paths no service owns, without asking any', async () => {
    const response = await fetch(`${gw.url}/api/nothing-here`, { headers: auth });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("405s the gateway's own documented paths asked with another method", async () => {
    const response = await fetch(`${gw.url}/healthz`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('405s an alias used with a method its seed does not define, naming the one it has', async () => {
    const response = await fetch(`${gw.url}/api/login`, { headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
  });
});
