import { describe, expect, it } from 'vitest';
import { conflict, notFound, tooManyRequests } from '../errors/app-error.ts';
import { createRoute, z } from '../index.ts';
import { capturedLogger } from '../test-helpers.ts';
import { createApp, createRouter } from './create-app.ts';
import { problemResponses } from './problem-schema.ts';

const NewEvent = z.strictObject({
  title: z.string().min(1),
  max_participants: z.number().int().positive(),
  location: z.strictObject({ city: z.string() }).optional(),
});

function buildApp() {
  const { logger, lines } = capturedLogger();
  const app = createApp({ service: 'events', logger, title: 'Events', version: '1.2.3' });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/events',
      request: { body: { content: { 'application/json': { schema: NewEvent } }, required: true } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: NewEvent } } },
        ...problemResponses(400),
      },
    }),
    (c) => c.json(c.req.valid('json'), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/events/{id}',
      request: {
        params: z.object({ id: z.string() }),
        query: z.object({ expand: z.enum(['host', 'cohosts']).optional() }),
      },
      responses: {
        200: { description: 'The event', content: { 'application/json': { schema: z.object({ id: z.string() }) } } },
      },
    }),
    (c) => c.json({ id: c.req.valid('param').id }, 200),
  );
  app.get('/boom', () => {
    throw new Error('connection to mongodb://admin:hunter2@db failed');
  });
  app.get('/conflict', () => {
    throw conflict('You are already registered for this event.', 'ALREADY_REGISTERED');
  });
  app.get('/throttled', () => {
    throw tooManyRequests(30);
  });
  app.get('/missing', () => {
    throw notFound('Event not found.', 'EVENT_NOT_FOUND');
  });
  app.get('/api/auth/set-password/:token', (c) => c.json({ ok: true }));

  const feedback = createRouter();
  feedback.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/feedback',
      request: {
        params: z.object({ id: z.string() }),
        body: {
          content: { 'application/json': { schema: z.strictObject({ rating: z.number().int().min(1).max(5) }) } },
          required: true,
        },
      },
      responses: { 201: { description: 'Saved' } },
    }),
    (c) => c.json(c.req.valid('json'), 201),
  );
  app.route('/api/events', feedback);
  return { app, lines };
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as Record<string, unknown> & { errors?: Record<string, string[]> };
}

describe('createApp', () => {
  it('accepts a valid body', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', json({ title: 'Meetup', max_participants: 10 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ title: 'Meetup', max_participants: 10 });
  });

  it('answers malformed JSON with 400 naming the parse problem', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', json('{"title": "Meetup",'));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', title: 'Bad Request', type: 'about:blank' });
    expect(body.detail).toMatch(/^Malformed JSON in request body: .*JSON/);
  });

  it('answers wrong types with 400 and errors per field', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', json({ title: 'Meetup', max_participants: 'ten' }));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.errors ?? {})).toEqual(['max_participants']);
    expect(body.errors?.max_participants?.[0]).toMatch(/number/);
    expect(body.detail).toBe('Invalid request body: max_participants.');
  });

  it('says a missing field is required', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', json({ max_participants: 3 }));
    const body = await problem(res);
    expect(body.errors).toEqual({ title: ['This field is required.'] });
  });

  it('rejects unknown fields of strict schemas, naming each, nested ones by path', async () => {
    const { app } = buildApp();
    const res = await app.request(
      '/api/events',
      json({ title: 'Meetup', max_participants: 3, is_admin: true, location: { city: 'Oslo', zip: '0150' } }),
    );
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.errors).toEqual({ is_admin: ['Unknown field.'], 'location.zip': ['Unknown field.'] });
    expect(body.detail).toContain('is_admin');
  });

  it('puts errors about the whole body under non_field_errors', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', json([1, 2]));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'Invalid request body: non_field_errors.' });
    expect(body.errors).toEqual({ non_field_errors: ['Invalid input: expected object, received array'] });
  });

  it('validates query parameters the same way', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events/e1?expand=everything');
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(Object.keys(body.errors ?? {})).toEqual(['expand']);
    expect(body.detail).toBe('Invalid query parameters: expand.');
  });

  it('answers a body of another content type with 415', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hi',
    });
    expect(res.status).toBe(415);
    expect((await problem(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413', async () => {
    const { logger } = capturedLogger();
    const app = createApp({ service: 'x', logger, bodyLimitBytes: 64 });
    app.post('/upload', async (c) => c.text(await c.req.text()));
    const res = await app.request('/upload', { method: 'POST', body: 'x'.repeat(65) });
    expect(res.status).toBe(413);
    expect((await problem(res)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves a route with and without a trailing slash', async () => {
    const { app } = buildApp();
    expect((await app.request('/api/events/e1')).status).toBe(200);
    expect((await app.request('/api/events/e1/')).status).toBe(200);
    expect((await app.request('/api/events/', json({ title: 'A', max_participants: 1 }))).status).toBe(201);
    expect((await app.request('/api/events/e1/feedback/', json({ rating: 5 }))).status).toBe(201);
  });

  it('gives mounted routers the same validation problems', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events/e1/feedback', json({ rating: 9, extra: 1 }));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(Object.keys(body.errors ?? {}).sort()).toEqual(['extra', 'rating']);
  });

  it('answers unknown paths with a 404 problem', async () => {
    const { app } = buildApp();
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await problem(res)).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      title: 'Not Found',
      detail: 'Not found.',
    });
  });

  it('answers a routed path asked with a method it lacks with 405 and Allow', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events/e1', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await problem(res)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    // A literal segment wins over a parameter; paths with no route stay 404.
    const mounted = await app.request('/api/events/e1/feedback/', { method: 'GET' });
    expect([mounted.status, mounted.headers.get('allow')]).toEqual([405, 'POST']);
    expect((await app.request('/api/events/e1/nothing', { method: 'GET' })).status).toBe(404);
  });

  it('refuses a request without the JSON body its route requires, naming the body', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events', { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({
      detail: 'Invalid request body: a JSON body is required.',
      errors: { non_field_errors: ['A JSON request body is required.'] },
    });
  });

  it('maps AppError status, code and headers', async () => {
    const { app } = buildApp();
    const res = await app.request('/conflict');
    expect(res.status).toBe(409);
    expect(await problem(res)).toMatchObject({
      code: 'ALREADY_REGISTERED',
      detail: 'You are already registered for this event.',
    });
    const throttled = await app.request('/throttled');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('30');
    expect(await problem(throttled)).toMatchObject({ code: 'RATE_LIMITED', retry_after: 30 });
    expect(await problem(await app.request('/missing'))).toMatchObject({ status: 404, code: 'EVENT_NOT_FOUND' });
  });

  it('answers a crash with a 500 that reveals nothing, and logs it', async () => {
    const { app, lines } = buildApp();
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body).toMatchObject({ code: 'INTERNAL', detail: 'Internal server error.' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(lines.some((line) => line.msg === 'request failed' && line.level === 'error')).toBe(true);
  });

  it('echoes an incoming X-Request-Id and puts it in problems', async () => {
    const { app } = buildApp();
    const res = await app.request('/nope', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    expect((await problem(res)).request_id).toBe('abc-123');
  });

  it('generates a request id when none (or a malformed one) comes in', async () => {
    const { app } = buildApp();
    for (const headers of [{}, { 'X-Request-Id': 'bad id\twith spaces' }]) {
      const res = await app.request('/api/events/e1', { headers });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const failed = await app.request('/boom');
    expect((await problem(failed)).request_id).toBe(failed.headers.get('x-request-id'));
  });

  it('sets secure headers', async () => {
    const { app } = buildApp();
    const res = await app.request('/api/events/e1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('writes one access log line per request, without secrets', async () => {
    const { app, lines } = buildApp();
    await app.request('/api/events/e1?api_key=zzz', {
      headers: { 'X-Request-Id': 'req-1', Authorization: 'Bearer secret.jwt.value', Cookie: 'access_token=secret' },
    });
    await app.request('/api/auth/set-password/tok3n-value-123');
    const access = lines.filter((line) => line.msg === 'request');
    expect(access[0]).toMatchObject({
      service: 'test',
      level: 'info',
      method: 'GET',
      path: '/api/events/e1',
      status: 200,
      request_id: 'req-1',
    });
    expect(typeof access[0]?.duration_ms).toBe('number');
    expect(access[1]).toMatchObject({ path: '/api/auth/set-password/[redacted]', status: 200 });
    const everything = JSON.stringify(lines);
    for (const secret of ['secret.jwt.value', 'access_token=secret', 'zzz', 'tok3n-value-123']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('serves its OpenAPI 3.1 document', async () => {
    const { app } = buildApp();
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      info: unknown;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Events', version: '1.2.3' });
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/events', '/api/events/{id}', '/api/events/{id}/feedback']),
    );
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents the 400 of every operation that takes input', async () => {
    const { app } = buildApp();
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/api/events/{id}']!.get!.responses).sort()).toEqual(['200', '400']);
    expect(doc.paths['/api/events/{id}/feedback']!.post!.responses['400']).toMatchObject({
      content: { 'application/problem+json': { schema: { type: 'object' } } },
    });
  });
});
