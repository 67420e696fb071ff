/**
 * Which service answers which public path, who may call it, and the compatibility aliases
 * (the legacy APIs' paths kept working beside the canonical ones; docs/api.md lists them).
 *
 * Rules are tried in order; the first whose method and path match wins, so a specific rule
 * (GET /api/events/mine, protected) must come before a general one (GET /api/events/:id, optional).
 * Paths match with or without a trailing slash. `:name` matches one segment, a final `**` matches
 * zero or more (so `/api/users/**` covers `/api/users` and everything below it).
 *
 * Compatibility aliases come in two kinds:
 * - a pure path alias (same method, body and answer) is rewritten to the canonical path here,
 *   so the owning service never hears of it (`rewrite`);
 * - an alias whose request or answer differs (the legacy invitation API's token-addressed
 *   invites, the legacy events API's host-only attendees, the legacy participation API's `invitee`
 *   body) is forwarded unchanged to the owner, which implements that legacy shape.
 * Either way `alias` names the canonical operation so the merged OpenAPI document can list the
 * alias as a deprecated copy of it.
 */

export const UPSTREAMS = ['auth', 'events', 'invitations', 'feedback', 'notifier'] as const;
export type UpstreamName = (typeof UPSTREAMS)[number];

/**
 * public: never checked at the edge (login, register, token pages);
 * optional: anonymous allowed, a presented token must be valid (the service decides visibility);
 * protected: a valid access token is required at the edge.
 */
export type Access = 'public' | 'optional' | 'protected';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface AliasOf {
  /** Canonical path in OpenAPI form, e.g. `/api/events/{id}/participants`. */
  path: string;
  method: Method;
  /** The legacy API whose clients use the alias (docs/api.md describes each). */
  keeps: LegacyApi;
}

/** The older APIs whose paths the gateway keeps serving beside the canonical ones. */
export type LegacyApi =
  | 'legacy invitation API'
  | 'legacy user-invitation API'
  | 'legacy events API'
  | 'legacy participation API';

export interface RouteRule {
  path: string;
  /** Any method when absent. */
  methods?: readonly Method[];
  upstream: UpstreamName;
  access: Access;
  /** Canonical path to forward to, with the same `:name` placeholders. */
  rewrite?: string;
  alias?: AliasOf;
  /** Upgrade requests are proxied on this path. */
  websocket?: boolean;
  /** Takes a file: the body may be up to IMPORT_BODY_LIMIT_BYTES instead of BODY_LIMIT_BYTES. */
  largeBody?: true;
}

const READ: readonly Method[] = ['GET', 'HEAD'];

export const ROUTES: readonly RouteRule[] = [
  // ── auth ───────────────────────────────────────────────────────────────────────────────────
  {
    path: '/api/register',
    methods: ['POST'],
    upstream: 'auth',
    access: 'public',
    rewrite: '/api/auth/register',
    alias: { path: '/api/auth/register', method: 'POST', keeps: 'legacy participation API' },
  },
  {
    path: '/api/login',
    methods: ['POST'],
    upstream: 'auth',
    access: 'public',
    rewrite: '/api/auth/login',
    alias: { path: '/api/auth/login', method: 'POST', keeps: 'legacy participation API' },
  },
  {
    path: '/api/auth/profile/update',
    methods: ['PUT'],
    upstream: 'auth',
    access: 'protected',
    rewrite: '/api/auth/profile',
    alias: { path: '/api/auth/profile', method: 'PUT', keeps: 'legacy events API' },
  },
  {
    path: '/api/user/:id/resend-invitation',
    methods: ['POST'],
    upstream: 'auth',
    access: 'protected',
    rewrite: '/api/users/:id/resend-invitation',
    alias: { path: '/api/users/{id}/resend-invitation', method: 'POST', keeps: 'legacy user-invitation API' },
  },
  { path: '/api/auth/register', upstream: 'auth', access: 'public' },
  { path: '/api/auth/login', upstream: 'auth', access: 'public' },
  { path: '/api/auth/token/refresh', upstream: 'auth', access: 'public' },
  // Logging out must work with an expired access token: the refresh token in the body is what counts.
  { path: '/api/auth/logout', upstream: 'auth', access: 'public' },
  { path: '/api/auth/set-password/:token', upstream: 'auth', access: 'public' },
  { path: '/api/auth/**', upstream: 'auth', access: 'protected' },
  { path: '/api/users/**', upstream: 'auth', access: 'protected' },
  { path: '/.well-known/jwks.json', methods: READ, upstream: 'auth', access: 'public' },

  // ── sub-resources of an event owned by other services (before the events catch-all) ────────
  {
    path: '/api/events/:id/invitations/import',
    methods: ['POST'],
    upstream: 'invitations',
    access: 'protected',
    largeBody: true,
  },
  { path: '/api/events/:id/invitations/**', upstream: 'invitations', access: 'protected' },
  { path: '/api/events/:id/invitations.csv', upstream: 'invitations', access: 'protected' },
  {
    path: '/api/events/:id/invite',
    methods: ['POST'],
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/events/{id}/invitations', method: 'POST', keeps: 'legacy participation API' },
  },
  { path: '/api/events/:id/feedback', methods: READ, upstream: 'feedback', access: 'optional' },
  { path: '/api/events/:id/feedback/summary', methods: READ, upstream: 'feedback', access: 'optional' },
  { path: '/api/events/:id/feedback/**', upstream: 'feedback', access: 'protected' },

  // ── events ─────────────────────────────────────────────────────────────────────────────────
  {
    path: '/api/events/my_events',
    methods: READ,
    upstream: 'events',
    access: 'protected',
    rewrite: '/api/events/mine',
    alias: { path: '/api/events/mine', method: 'GET', keeps: 'legacy events API' },
  },
  {
    // Host-only in the legacy events API, unlike participants: events answers it itself.
    path: '/api/events/:id/attendees',
    methods: READ,
    upstream: 'events',
    access: 'protected',
    alias: { path: '/api/events/{id}/participants', method: 'GET', keeps: 'legacy events API' },
  },
  { path: '/api/events/mine', upstream: 'events', access: 'protected' },
  { path: '/api/events', methods: READ, upstream: 'events', access: 'optional' },
  { path: '/api/events/upcoming', methods: READ, upstream: 'events', access: 'optional' },
  { path: '/api/events/:id', methods: READ, upstream: 'events', access: 'optional' },
  { path: '/api/events/:id/calendar.ics', methods: READ, upstream: 'events', access: 'optional' },
  // Public events show their participants' names to anyone (events decides what each caller sees).
  { path: '/api/events/:id/participants', methods: READ, upstream: 'events', access: 'optional' },
  { path: '/api/events/**', upstream: 'events', access: 'protected' },
  { path: '/api/my-registrations/**', upstream: 'events', access: 'protected' },

  // ── invitations ────────────────────────────────────────────────────────────────────────────
  { path: '/api/attendee-invitations/verify/:token', methods: READ, upstream: 'invitations', access: 'public' },
  { path: '/api/attendee-invitations/accept', methods: ['POST'], upstream: 'invitations', access: 'public' },
  { path: '/api/attendee-invitations/reject', methods: ['POST'], upstream: 'invitations', access: 'public' },
  { path: '/api/attendee-invitations/**', upstream: 'invitations', access: 'protected' },
  { path: '/api/invitations/**', upstream: 'invitations', access: 'protected' },
  {
    path: '/api/invites',
    methods: ['POST'],
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/events/{id}/invitations', method: 'POST', keeps: 'legacy invitation API' },
  },
  {
    path: '/api/invites/:token',
    methods: READ,
    upstream: 'invitations',
    access: 'public',
    alias: { path: '/api/attendee-invitations/verify/{token}', method: 'GET', keeps: 'legacy invitation API' },
  },
  {
    path: '/api/invites/:token',
    methods: ['DELETE'],
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/events/{id}/invitations/{inv}', method: 'DELETE', keeps: 'legacy invitation API' },
  },
  {
    path: '/api/invites/:token/resend',
    methods: ['POST'],
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/events/{id}/invitations/{inv}/resend', method: 'POST', keeps: 'legacy invitation API' },
  },
  {
    // The legacy invitation API accepts as the signed-in user whose email must match, not with the token alone.
    path: '/api/invites/:token/accept',
    methods: ['POST'],
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/attendee-invitations/accept', method: 'POST', keeps: 'legacy invitation API' },
  },
  {
    path: '/api/trees/:id/invites',
    methods: READ,
    upstream: 'invitations',
    access: 'protected',
    alias: { path: '/api/events/{id}/invitations', method: 'GET', keeps: 'legacy invitation API' },
  },
  { path: '/api/invites/**', upstream: 'invitations', access: 'protected' },
  { path: '/api/trees/:id/invites/**', upstream: 'invitations', access: 'protected' },

  // ── notifications ──────────────────────────────────────────────────────────────────────────
  { path: '/api/notifications/ws', methods: ['GET'], upstream: 'notifier', access: 'protected', websocket: true },
  // The List-Unsubscribe link of an email: signed, answered without a session (RFC 8058 one-click POST).
  {
    path: '/api/notifications/unsubscribe/:token',
    methods: ['GET', 'HEAD', 'POST'],
    upstream: 'notifier',
    access: 'public',
  },
  { path: '/api/notifications/**', upstream: 'notifier', access: 'protected' },
];
