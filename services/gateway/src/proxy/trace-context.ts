import { randomHex } from './random-hex.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export interface TraceContext {
  traceparent: string;
  tracestate: string | undefined;
}

/**
 * W3C trace context for the hop to the service: the client's when it sent a valid one, otherwise
 * a new sampled trace, so the service spans of one request always share a trace id the gateway
 * chose (and the request id and trace can be found from each other in the logs).
 */
export function traceContext(traceparent: string | undefined, tracestate: string | undefined): TraceContext {
  const value = traceparent?.trim().toLowerCase();
  const parts = value ? TRACEPARENT.exec(value) : null;
  if (parts && isValid(parts)) return { traceparent: value!, tracestate };
  return {
    traceparent: `00-${randomHex(16)}-${randomHex(8)}-01`,
    tracestate: undefined,
  };
}

function isValid([, version, traceId, spanId, , rest]: RegExpExecArray): boolean {
  if (version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return false;
  // Version 00 has exactly four fields; a later version may append more.
  return version !== '00' || rest === undefined;
}
