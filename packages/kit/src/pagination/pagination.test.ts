import { describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { capturedLogger } from '../test-helpers.ts';
import { pageOf } from './page-of.ts';
import { pageParams } from './page-params.ts';

const items = Array.from({ length: 45 }, (_, i) => ({ n: i + 1 }));

function buildApp() {
  const app = createApp({ service: 'events', logger: capturedLogger().logger });
  app.get('/api/events', (c) => {
    const { skip, limit } = pageParams(c);
    return c.json(pageOf(c, { count: items.length, results: items.slice(skip, skip + limit) }));
  });
  app.get('/api/params', (c) => c.json(pageParams(c)));
  return app;
}

interface PageBody {
  count: number;
  next: string | null;
  previous: string | null;
  results: Array<{ n: number }>;
}

describe('pageParams', () => {
  it('defaults to page 1 of 20', async () => {
    const res = await buildApp().request('/api/params');
    expect(await res.json()).toEqual({ page: 1, page_size: 20, skip: 0, limit: 20 });
  });

  it('reads page and page_size and clamps page_size to 100', async () => {
    const app = buildApp();
    expect(await (await app.request('/api/params?page=3&page_size=10')).json()).toEqual({
      page: 3,
      page_size: 10,
      skip: 20,
      limit: 10,
    });
    expect(await (await app.request('/api/params?page_size=500')).json()).toMatchObject({ page_size: 100, limit: 100 });
  });

  it('answers 400 naming the parameter for garbage', async () => {
    const app = buildApp();
    for (const [query, field] of [
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=abc', 'page'],
      ['page=1.5', 'page'],
      ['page_size=0', 'page_size'],
      ['page_size=ten', 'page_size'],
    ] as const) {
      const res = await app.request(`/api/params?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(body.errors), query).toEqual([field]);
    }
  });
});

describe('pageOf', () => {
  it('links the next page on the first page and no previous', async () => {
    const res = await buildApp().request('http://events.internal:3002/api/events?search=x&page_size=20');
    const body = (await res.json()) as PageBody;
    expect(body.count).toBe(45);
    expect(body.results.map((r) => r.n)).toEqual(items.slice(0, 20).map((r) => r.n));
    expect(body.previous).toBeNull();
    expect(body.next).toBe('http://events.internal:3002/api/events?search=x&page_size=20&page=2');
  });

  it('links both ways in the middle, dropping page=1 from previous like DRF', async () => {
    const body = (await (await buildApp().request('http://h/api/events?page=2')).json()) as PageBody;
    expect(body.results[0]?.n).toBe(21);
    expect(body.next).toBe('http://h/api/events?page=3');
    expect(body.previous).toBe('http://h/api/events');
  });

  it('has no next on the last page', async () => {
    const body = (await (await buildApp().request('http://h/api/events?page=3')).json()) as PageBody;
    expect(body.results.map((r) => r.n)).toEqual([41, 42, 43, 44, 45]);
    expect(body.next).toBeNull();
    expect(body.previous).toBe('http://h/api/events?page=2');
  });

  it('builds links for the public URL the gateway forwarded', async () => {
    const res = await buildApp().request('http://127.0.0.1:3002/api/events?page=2', {
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'convene.example.com, proxy.internal' },
    });
    const body = (await res.json()) as PageBody;
    expect(body.next).toBe('https://convene.example.com/api/events?page=3');
    expect(body.previous).toBe('https://convene.example.com/api/events');
  });

  it('answers an empty first page with no links', async () => {
    const app = createApp({ service: 'events', logger: capturedLogger().logger });
    app.get('/empty', (c) => c.json(pageOf(c, { count: 0, results: [] })));
    expect(await (await app.request('/empty')).json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it('answers a page past the end with 404 Invalid page.', async () => {
    const res = await buildApp().request('/api/events?page=4');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'INVALID_PAGE', detail: 'Invalid page.' });
  });
});
