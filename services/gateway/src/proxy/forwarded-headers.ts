import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1); never passed on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);
/**
 * Also dropped from requests: the pool sets Host for the service, and Node has already answered
 * `Expect: 100-continue` (undici refuses to send it). The forwarding headers are rebuilt below.
 */
const REQUEST_DROPPED = new Set([
  ...HOP_BY_HOP,
  'host',
  'expect',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-request-id',
  'traceparent',
  'tracestate',
]);

export interface ForwardingFacts {
  requestId: string;
  traceparent: string;
  tracestate: string | undefined;
  /** Proxies in front of us whose X-Forwarded-* we keep (0: we are the edge). */
  trustedHops: number;
}

/**
 * What the service receives: the client's headers minus hop-by-hop ones (Authorization and Cookie
 * pass untouched; the services verify tokens themselves), plus the request id, trace context and
 * X-Forwarded-For/Host/Proto describing the original request.
 */
export function upstreamRequestHeaders(
  incoming: IncomingMessage,
  facts: ForwardingFacts,
): Record<string, string | string[]> {
  const source = incoming.headers;
  const connectionListed = listedInConnection(source.connection);
  const headers: Record<string, string | string[]> = {};
  for (const name in source) {
    if (REQUEST_DROPPED.has(name) || connectionListed?.has(name)) continue;
    const value = source[name];
    if (value !== undefined) headers[name] = value;
  }
  const peer = peerAddress(incoming);
  const trusted = facts.trustedHops > 0;
  const priorFor = trusted ? joined(source['x-forwarded-for']) : undefined;
  headers['x-forwarded-for'] = priorFor ? `${priorFor}, ${peer}` : peer;
  headers['x-forwarded-host'] = (trusted && joined(source['x-forwarded-host'])) || source.host || '';
  headers['x-forwarded-proto'] =
    (trusted && joined(source['x-forwarded-proto'])) || ((incoming.socket as TLSSocket).encrypted ? 'https' : 'http');
  headers['x-request-id'] = facts.requestId;
  headers.traceparent = facts.traceparent;
  if (facts.tracestate) headers.tracestate = facts.tracestate;
  return headers;
}

/** Drops the service's hop-by-hop headers in place (the gateway's own connection has its own). */
export function stripHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const connectionListed = listedInConnection(headers.connection);
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || connectionListed?.has(name)) delete headers[name];
  }
  return headers;
}

/**
 * The client's address: the peer, or with trusted proxies in front, the X-Forwarded-For entry
 * those proxies appended for it (counting from the right, where the nearest proxy wrote).
 */
export function clientAddress(incoming: IncomingMessage, trustedHops: number): string {
  const peer = peerAddress(incoming);
  if (trustedHops <= 0) return peer;
  const chain = joined(incoming.headers['x-forwarded-for'])
    ?.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!chain?.length) return peer;
  return normalizeAddress(chain[Math.max(0, chain.length - trustedHops)]!);
}

function peerAddress(incoming: IncomingMessage): string {
  return normalizeAddress(incoming.socket.remoteAddress ?? 'unknown');
}

function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function listedInConnection(connection: string | string[] | undefined): Set<string> | undefined {
  if (!connection) return undefined;
  const tokens = joined(connection)!
    .toLowerCase()
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token && token !== 'close' && token !== 'keep-alive');
  return tokens.length ? new Set(tokens) : undefined;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
