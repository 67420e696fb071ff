/** The W3C trace context an envelope records of where it was built. */
export interface EnvelopeTrace {
  traceparent?: string;
  tracestate?: string;
}

let ambientTrace: (() => EnvelopeTrace) | undefined;

/**
 * Where `envelope()` reads the trace it is built in, when its input names none: set by the
 * telemetry start-up (this package depends on no tracing library). Envelopes go into an outbox
 * and are published by the relay long after the request that wrote them has ended, so the trace
 * has to travel in the envelope for the publish to continue it. `undefined` stops it.
 */
export function traceEnvelopesWith(source: (() => EnvelopeTrace) | undefined): void {
  ambientTrace = source;
}

export function currentEnvelopeTrace(): EnvelopeTrace {
  return ambientTrace?.() ?? {};
}
