import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonClient } from './json-client.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers by path; records every request it gets. */
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const answer = (status: number, type: string | undefined, text: string) => {
      res.writeHead(status, type ? { 'content-type': type } : {});
      res.end(text);
    };
    switch (req.url) {
      case '/json':
        return answer(200, 'application/json; charset=utf-8', '{"ok":true,"n":2}');
      case '/problem':
        return answer(404, 'application/problem+json', '{"status":404,"code":"NOT_FOUND"}');
      case '/csv':
        return answer(200, 'text/csv; charset=utf-8', 'a,b\r\n1,2\r\n');
      case '/empty':
        return answer(204, undefined, '');
      case '/moved':
        res.writeHead(302, { location: '/json' });
        return res.end();
      default:
        return answer(200, 'application/json', '{}');
    }
  });
});

let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const last = () => seen.at(-1)!;

describe('JsonClient', () => {
  it('parses a JSON answer and keeps its text', async () => {
    const reply = await new JsonClient(base).get<{ ok: boolean; n: number }>('/json');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ ok: true, n: 2 });
    expect(reply.text).toBe('{"ok":true,"n":2}');
    expect(reply.headers.get('content-type')).toContain('application/json');
  });

  it('parses a problem+json answer', async () => {
    const reply = await new JsonClient(base).get('/problem');
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('keeps a non-JSON answer (CSV) as text', async () => {
    const reply = await new JsonClient(base).get<string>('/csv');
    expect(reply.body).toBe('a,b\r\n1,2\r\n');
    expect(reply.text).toBe('a,b\r\n1,2\r\n');
  });

  it('answers an empty body as {} with empty text', async () => {
    const reply = await new JsonClient(base).delete('/empty');
    expect(reply.status).toBe(204);
    expect(reply.body).toEqual({});
    expect(reply.text).toBe('');
    expect(last().method).toBe('DELETE');
  });

  it('sends a body as JSON, and no content-type without a body', async () => {
    const api = new JsonClient(base);
    await api.post('/echo', { title: 'Hi', seats: 2 });
    expect(last()).toMatchObject({ method: 'POST', url: '/echo', body: '{"title":"Hi","seats":2}' });
    expect(last().headers['content-type']).toBe('application/json');
    await api.get('/echo');
    expect(last().headers['content-type']).toBeUndefined();
    expect(last().body).toBe('');
  });

  it('sends the token as a bearer authorization header, and extra headers as given', async () => {
    const api = new JsonClient(base);
    await api.put('/echo', { a: 1 }, { token: 'tok-123', headers: { 'X-Forwarded-For': '10.0.0.1' } });
    expect(last().method).toBe('PUT');
    expect(last().headers.authorization).toBe('Bearer tok-123');
    expect(last().headers['x-forwarded-for']).toBe('10.0.0.1');
    await api.get('/echo');
    expect(last().headers.authorization).toBeUndefined();
  });

  it('lets given headers win over its own, whatever their case', async () => {
    await new JsonClient(base).patch(
      '/echo',
      { a: 1 },
      { token: 'tok', headers: { 'Content-Type': 'text/plain', AUTHORIZATION: 'Basic x' } },
    );
    expect(last().method).toBe('PATCH');
    expect(last().headers['content-type']).toBe('text/plain');
    expect(last().headers.authorization).toBe('Basic x');
  });

  it('sends a raw body verbatim (malformed JSON, or nothing at all) as JSON', async () => {
    const api = new JsonClient(base);
    await api.post('/echo', { ignored: true }, { raw: '{"username": ' });
    expect(last().body).toBe('{"username": ');
    expect(last().headers['content-type']).toBe('application/json');
    await api.request('POST', '/echo', undefined, { raw: '' });
    expect(last().body).toBe('');
    expect(last().headers['content-type']).toBe('application/json');
  });

  it('drops trailing slashes from the base URL', async () => {
    const api = new JsonClient(`${base}//`);
    expect(api.url).toBe(base);
    await api.get('/json?x=1');
    expect(last().url).toBe('/json?x=1');
  });

  it('does not follow redirects', async () => {
    const reply = await new JsonClient(base).get('/moved');
    expect(reply.status).toBe(302);
    expect(reply.headers.get('location')).toBe('/json');
    expect(last().url).toBe('/moved');
  });
});
