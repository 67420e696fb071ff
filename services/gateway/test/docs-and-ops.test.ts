import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './support/gateway.ts';

const problem = { type: 'object', properties: { status: { type: 'integer' }, detail: { type: 'string' } } };

const authDocument = {
  openapi: '3.1.0',
  info: { title: 'Convene auth', version: '1' },
  paths: {
    '/api/auth/login': {
      post: { operationId: 'login', summary: 'Log in', tags: ['auth'], responses: { 200: { description: 'Tokens' } } },
    },
    '/api/auth/register': {
      post: {
        operationId: 'register',
        summary: 'Register',
        responses: {
          201: {
            description: 'User',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
          },
        },
      },
    },
    '/api/users/{userId}/resend-invitation': {
      post: {
        operationId: 'resendInvitation',
        parameters: [{ name: 'userId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 202: { description: 'Sent' } },
      },
    },
    '/internal/users/{id}': { get: { responses: { 200: { description: 'secret' } } } },
    '/openapi.json': { get: { responses: { 200: { description: 'doc' } } } },
  },
  components: {
    schemas: { User: { type: 'object', properties: { id: { type: 'string' } } }, Problem: problem },
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
  },
  tags: [{ name: 'auth' }],
};

const eventsDocument = {
  openapi: '3.1.0',
  info: { title: 'Convene events', version: '1' },
  paths: {
    '/api/events': { get: { operationId: 'listEvents', responses: { 200: { description: 'Page' } } } },
    '/api/events/{id}/participants': {
      get: {
        operationId: 'participants',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'page', in: 'query', schema: { type: 'integer' } },
        ],
        responses: {
          200: {
            description: 'Page',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
          },
        },
      },
    },
  },
  components: {
    // Same name as auth's User, different shape: must not overwrite it.
    schemas: { User: { type: 'object', properties: { user_id: { type: 'string' } } }, Problem: problem },
  },
};

// biome-ignore lint/suspicious/noExplicitAny: assertions walk a JSON document of any shape
type Json = any;

let gw: TestGateway;
let readiness = 200;

beforeAll(async () => {
  gw = await startGateway({
    // Long enough that a healthy service on a busy machine always answers in time: every probe
    // that fails here fails for its own reason (503, closed port), not because it was slow.
    env: { OPENAPI_REFRESH_MS: '60000', UPSTREAM_PROBE_TIMEOUT_MS: '10000' },
    upstreamOptions: {
      auth: { openapi: authDocument },
      events: { openapi: eventsDocument, readyStatus: () => readiness },
      // invitations, feedback and notifier publish no document (404): the merge goes on without them.
    },
  });
});
afterAll(() => gw.close());

describe('merged OpenAPI document', () => {
  it('holds the paths of every service that answered, but never /internal ones', async () => {
    const response = await fetch(`${gw.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth/login'].post.operationId).toBe('login');
    expect(doc.paths['/api/events'].get.operationId).toBe('listEvents');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/internal'))).toBe(false);
    expect(doc.paths['/openapi.json']).toBeUndefined();
    expect(doc.paths['/readyz'].get.tags).toEqual(['gateway']);
    expect(doc.info['x-unavailable-services']).toEqual(['invitations', 'feedback', 'notifier']);
  });

  it('keeps both services’ schemas when their names clash, each $ref pointing at its own', async () => {
    const doc = (await (await fetch(`${gw.url}/api/openapi.json`)).json()) as Json;
    expect(doc.components.schemas.User).toEqual(authDocument.components.schemas.User);
    expect(doc.components.schemas.EventsUser).toEqual(eventsDocument.components.schemas.User);
    const participants = doc.paths['/api/events/{id}/participants'].get;
    expect(participants.responses[200].content['application/json'].schema.$ref).toBe('#/components/schemas/EventsUser');
    // Identical schemas are kept once.
    expect(doc.components.schemas.EventsProblem).toBeUndefined();
  });

  it('lists the seed aliases as deprecated operations', async () => {
    const doc = (await (await fetch(`${gw.url}/api/openapi.json`)).json()) as Json;
    const login = doc.paths['/api/login'].post;
    expect(login.deprecated).toBe(true);
    expect(login.description).toContain('POST /api/auth/login');
    expect(login.operationId).not.toBe('login');

    const resend = doc.paths['/api/user/{id}/resend-invitation'].post;
    expect(resend.deprecated).toBe(true);
    expect(resend.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);

    const attendees = doc.paths['/api/events/{id}/attendees'].get;
    expect(attendees.deprecated).toBe(true);
    expect(attendees.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'page']);

    // Canonical operation unknown (its service is down): still listed, as a deprecated stub.
    expect(doc.paths['/api/invites/{token}'].get.deprecated).toBe(true);
    expect(doc.paths['/api/trees/{id}/invites'].get.deprecated).toBe(true);
    expect(doc.paths['/api/auth/login'].post.deprecated).toBeUndefined();
  });
});

describe('docs pages', () => {
  it('serves Swagger UI with its assets from the installed package', async () => {
    const page = await fetch(`${gw.url}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/api/openapi.json');
    expect(html).toContain('/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js');
    expect(html).not.toContain('cdn.jsdelivr.net');
    const bundle = await fetch(`${gw.url}/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await fetch(`${gw.url}/api/docs/assets/swagger-ui-dist/swagger-ui.css`)).status).toBe(200);
    expect((await fetch(`${gw.url}/api/docs/assets/swagger-ui-dist/package.json`)).status).toBe(404);
  });

  it('serves ReDoc with its standalone bundle', async () => {
    const page = await fetch(`${gw.url}/api/redoc`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<redoc spec-url="/api/openapi.json">');
    const bundle = await fetch(`${gw.url}/api/docs/assets/redoc/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe('health and metrics', () => {
  it('is live whatever the services do', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  it('stays ready while services are down, reporting them in /healthz and convene_dependency_up', async () => {
    const ok = await fetch(`${gw.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', checks: { auth: 'ok', events: 'ok', notifier: 'ok' } });

    readiness = 503;
    await gw.upstreams.feedback!.close();
    try {
      // Every gateway replica sees the same services: dropping out would only turn partial service into none.
      const ready = await fetch(`${gw.url}/readyz`);
      expect(ready.status).toBe(200);
      const live = await fetch(`${gw.url}/healthz`);
      expect(live.status).toBe(200);
      const body = (await live.json()) as Json;
      expect(body.status).toBe('degraded');
      expect(body.checks.auth).toBe('ok');
      expect(body.checks.events).toMatch(/^failed: events \/readyz answered 503/);
      expect(body.checks.feedback).toMatch(/^failed/);
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^convene_dependency_up\{dependency="events",required="false"\} 0$/m);
      expect(metrics).toMatch(/^convene_dependency_up\{dependency="auth",required="false"\} 1$/m);
    } finally {
      readiness = 200;
    }
  });

  it('reports a service that does not answer its probe in time, without waiting longer for it', async () => {
    // Only invitations is reported, and its /readyz never answers until released below: the probe
    // can only end by the gateway's timeout, however fast or slow the machine is.
    const probed = Promise.withResolvers<void>();
    const stuck = Promise.withResolvers<number>();
    const hung = await startGateway({
      env: { READY_UPSTREAMS: 'invitations', UPSTREAM_PROBE_TIMEOUT_MS: '200' },
      upstreamOptions: {
        invitations: {
          readyStatus: () => {
            probed.resolve();
            return stuck.promise;
          },
        },
      },
    });
    try {
      const live = await fetch(`${hung.url}/healthz`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'degraded', checks: { invitations: 'timed out after 200 ms' } });
      await probed.promise; // the service was asked: this is its silence, not a refused connection
      expect((await fetch(`${hung.url}/readyz`)).status).toBe(200);
    } finally {
      stuck.resolve(200);
      await hung.close();
    }
  });

  it('exposes request counts, latency by route group and upstream errors in Prometheus text', async () => {
    await fetch(`${gw.url}/api/events`);
    await fetch(`${gw.url}/api/events/e1/feedback`); // feedback is down by now: 502
    const response = await fetch(`${gw.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/gateway_http_requests_total\{group="events",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/gateway_http_requests_total\{group="feedback",method="GET",status="502"\} 1/);
    expect(text).toMatch(/gateway_http_request_duration_seconds_bucket\{le="0.1",group="events",method="GET"\} \d+/);
    expect(text).toMatch(/gateway_upstream_errors_total\{upstream="feedback",kind="unavailable"\} 1/);
    expect(text).toMatch(/gateway_http_requests_total\{group="docs",method="GET",status="200"\} \d+/);
  });
});
