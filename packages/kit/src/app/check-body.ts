import type { MiddlewareHandler } from 'hono';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { discardReader, LINGER } from './discard-body.ts';

export interface CheckBodyOptions {
  /** Largest body accepted on any route not listed in `largeBodyRoutes`. */
  maxBytes: number;
  /**
   * Routes that take more, as `'METHOD /path/:param'` → bytes, e.g.
   * `{ 'POST /api/events/:id/invitations/import': 20 * 1024 * 1024 }`.
   */
  largeBodyRoutes?: Record<string, number>;
}

/** Bodies that are text: decoded as UTF-8 by the handlers, so they must be UTF-8. */
const TEXT_TYPE = /^(text\/|application\/(json|x-www-form-urlencoded)\b|application\/[^;]*\+json\b)/i;
const UTF8_CHARSET = /^(utf-?8|us-ascii)$/i;

/**
 * Every request body, before any handler reads it: over the limit → 413 (and the connection is
 * closed, see {@link refuse}); a text body (JSON, form, CSV, plain text, or no type at all) that
 * is not valid UTF-8, or that declares another charset → 400 MALFORMED_BODY / 415, instead of
 * being decoded with U+FFFD in place of the bad bytes and stored like that.
 *
 * Text bodies are read here once (they are needed whole anyway) and handed on as bytes; a binary
 * body with a Content-Length within the limit streams on untouched.
 */
export function checkBody({ maxBytes, largeBodyRoutes = {} }: CheckBodyOptions): MiddlewareHandler {
  const limitFor = routeLimits(largeBodyRoutes, maxBytes);
  return async function checkRequestBody(c, next) {
    const { method } = c.req;
    if (method === 'GET' || method === 'HEAD') return next();
    const raw = c.req.raw;
    const limit = limitFor(method, c.req.path);
    const headers = raw.headers;
    const declared = headers.has('transfer-encoding') ? undefined : contentLength(headers.get('content-length'));
    if (declared !== undefined && declared > limit) {
      // Only what the client would send anyway is read; a declared body past that is not waited for.
      const reader = declared - limit <= LINGER.maxBytes ? raw.body?.getReader() : undefined;
      throw await refuse(limit, reader);
    }
    if (!raw.body || declared === 0) return next();
    const type = headers.get('content-type') ?? '';
    const text = type === '' || TEXT_TYPE.test(type);
    if (!text && declared !== undefined) return next();

    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw await refuse(limit, reader);
      chunks.push(value);
    }
    const bytes = Buffer.concat(chunks, size);
    if (text) {
      const charset = /;\s*charset="?([^";\s]+)"?/i.exec(type)?.[1];
      if (charset && !UTF8_CHARSET.test(charset)) {
        throw new AppError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Request body must be UTF-8, not ${charset}.`);
      }
      if (!isUtf8(bytes)) throw new AppError(400, ErrorCode.MALFORMED_BODY, 'Request body is not valid UTF-8.');
    }
    c.req.raw = new Request(raw, { body: bytes });
    return next();
  };
}

const strict = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The 413 for a body over the limit, with `Connection: close`: the rest of the body is never read
 * by a handler, so the connection cannot carry another request. What the client is still sending
 * is drained first (within LINGER) so the close does not reset the connection under its answer.
 */
async function refuse(limit: number, reader: ReadableStreamDefaultReader<Uint8Array> | undefined): Promise<AppError> {
  if (reader) await discardReader(reader);
  return new AppError(413, ErrorCode.PAYLOAD_TOO_LARGE, `Request body is larger than ${limit} bytes.`, {
    headers: { Connection: 'close' },
  });
}

function contentLength(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/** `'POST /a/:id/b'` → a matcher on method and path segments; the default limit when none matches. */
function routeLimits(routes: Record<string, number>, fallback: number) {
  const compiled = Object.entries(routes).map(([route, bytes]) => {
    const [method, path] = route.trim().split(/\s+/);
    if (!method || !path?.startsWith('/')) throw new Error(`largeBodyRoutes: "${route}" is not "METHOD /path"`);
    return { method: method.toUpperCase(), segments: segmentsOf(path), bytes };
  });
  return function limitFor(method: string, path: string): number {
    if (!compiled.length) return fallback;
    const segments = segmentsOf(path);
    for (const route of compiled) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      if (route.segments.every((segment, i) => segment.startsWith(':') || segment === segments[i])) return route.bytes;
    }
    return fallback;
  };
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter(Boolean);
}
