import { request as httpRequest, type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Logger, toProblem } from '@convene/kit';
import type { RouteMatcher } from '../domain/match-route.ts';
import { clientAddress, upstreamRequestHeaders } from './forwarded-headers.ts';
import { newRequestId } from './request-id.ts';
import { traceContext } from './trace-context.ts';
import { classifyFailure, upstreamProblem } from './upstream-failure.ts';
import type { Upstreams } from './upstreams.ts';

export interface UpgradeOptions {
  matchRoute: RouteMatcher;
  upstreams: Upstreams;
  /** Throws an AppError (401, 429, 503) when the upgrade may not go ahead. */
  admit: (facts: { clientIp: string; token: string | undefined; protectedRoute: boolean }) => Promise<void>;
  trustedHops: number;
  logger: Logger;
  /** Told how each upgrade attempt ended (101, or the status refused with). */
  record: (status: number, upstream: string) => void;
}

/**
 * WebSocket pass-through (`/api/notifications/ws`): the upgrade request is checked like any other
 * (route, rate limit, access token), sent to the service on a fresh connection, and once the
 * service answers 101 the two sockets are piped together until either side closes. A service
 * that refuses the upgrade has its answer relayed as it is.
 */
export function createUpgradeHandler({ matchRoute, upstreams, admit, trustedHops, logger, record }: UpgradeOptions) {
  return async function proxyUpgrade(incoming: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const requestId = newRequestId(incoming.headers['x-request-id']);
    const url = incoming.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const match = matchRoute(incoming.method ?? 'GET', rawPath);
    if (match.kind !== 'route' || !match.rule.websocket) {
      record(404, 'none');
      return refuse(socket, { status: 404, code: 'NOT_FOUND', detail: 'Not found.' }, requestId);
    }
    const upstream = upstreams[match.rule.upstream];
    try {
      await admit({
        clientIp: clientAddress(incoming, trustedHops),
        token: accessToken(incoming),
        protectedRoute: match.rule.access !== 'public',
      });
    } catch (err) {
      const problem = toProblem(err, requestId);
      record(problem.status, upstream.name);
      return refuse(socket, { ...problem.body, status: problem.status }, requestId, problem.headers);
    }

    const trace = traceContext(header(incoming, 'traceparent'), header(incoming, 'tracestate'));
    const headers = upstreamRequestHeaders(incoming, { requestId, trustedHops, ...trace });
    headers.connection = 'Upgrade';
    headers.upgrade = incoming.headers.upgrade ?? 'websocket';
    const target = new URL(upstream.origin);
    const upstreamRequest = httpRequest({
      host: target.hostname,
      port: target.port,
      method: 'GET',
      path: match.path + (queryAt === -1 ? '' : url.slice(queryAt)),
      headers,
      agent: false,
      timeout: upstream.headersTimeoutMs,
    });

    upstreamRequest.on('timeout', () =>
      upstreamRequest.destroy(Object.assign(new Error('upgrade timed out'), { code: 'ETIMEDOUT' })),
    );
    upstreamRequest.on('error', (err) => {
      const kind = classifyFailure(err);
      const status = kind === 'timeout' ? 504 : 502;
      record(status, upstream.name);
      logger.warn({ err, request_id: requestId, upstream: upstream.name }, 'websocket upgrade failed');
      refuse(socket, upstreamProblem(status, upstream.name), requestId);
    });
    upstreamRequest.on('response', (response) => {
      // The service declined to upgrade (401, 404, ...): relay its answer and close.
      record(response.statusCode ?? 502, upstream.name);
      socket.write(
        statusLine(response.statusCode ?? 502, response.statusMessage) + rawHeaderLines(response.rawHeaders, true),
      );
      response.pipe(socket);
    });
    upstreamRequest.on('upgrade', (response, upstreamSocket, upstreamHead) => {
      record(101, upstream.name);
      upstreamRequest.setTimeout(0);
      upstreamSocket.setTimeout(0);
      upstreamSocket.setNoDelay(true);
      upstreamSocket.setKeepAlive(true);
      socket.write(statusLine(101, response.statusMessage) + rawHeaderLines(response.rawHeaders, false));
      if (upstreamHead.length) socket.write(upstreamHead);
      if (head.length) upstreamSocket.write(head);
      const close = () => {
        socket.destroy();
        upstreamSocket.destroy();
      };
      upstreamSocket.on('error', close).on('close', close);
      socket.on('close', close);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    socket.on('close', () => upstreamRequest.destroy());
    upstreamRequest.end();
  };
}

function accessToken(incoming: IncomingMessage): string | undefined {
  const authorization = header(incoming, 'authorization')?.trim();
  if (authorization) {
    const [scheme, ...rest] = authorization.split(/\s+/);
    if (scheme?.toLowerCase() === 'bearer' && rest.length) return rest.join(' ');
  }
  const cookies = header(incoming, 'cookie');
  for (const pair of cookies?.split(';') ?? []) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === 'access_token') return decodeURIComponent(pair.slice(at + 1).trim());
  }
  return tokenFromSubprotocols(header(incoming, 'sec-websocket-protocol'));
}

/**
 * Browsers cannot set headers on a WebSocket, so they offer the token as a subprotocol next to the
 * real one: `Sec-WebSocket-Protocol: convene.v1, bearer.<jwt>` (never in the URL, which gets logged).
 * The header goes on to the service unchanged; it checks the token again and answers `convene.v1`.
 */
function tokenFromSubprotocols(offered: string | undefined): string | undefined {
  for (const part of offered?.split(',') ?? []) {
    const value = part.trim();
    if (value.startsWith('bearer.') && value.length > 'bearer.'.length) return value.slice('bearer.'.length);
  }
  return undefined;
}

function header(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function refuse(
  socket: Duplex,
  problem: { status: number; code?: string; detail?: string } & Record<string, unknown>,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[problem.status] ?? 'Error',
    ...problem,
    request_id: requestId,
  });
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `${statusLine(problem.status)}Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nConnection: close\r\n${extra}\r\n${body}`,
  );
}

function statusLine(status: number, message?: string): string {
  return `HTTP/1.1 ${status} ${message || STATUS_CODES[status] || ''}\r\n`;
}

/** The service's headers as it sent them; a relayed refusal must not keep the connection open. */
function rawHeaderLines(raw: string[], closing: boolean): string {
  let lines = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // The relayed body is decoded by Node and ends with the connection, so its old framing goes.
    if (closing && /^(connection|keep-alive|transfer-encoding)$/i.test(name)) continue;
    lines += `${name}: ${raw[i + 1]}\r\n`;
  }
  return `${lines}${closing ? 'Connection: close\r\n' : ''}\r\n`;
}
