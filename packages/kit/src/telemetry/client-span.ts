import { markSpanFailed } from '@convene/bus';
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { tracingActive } from './tracing-active.ts';

const TRACER = '@convene/kit:client';

/** A CLIENT span already started, with the W3C headers that make the callee its child. */
export interface ClientSpan {
  /** `traceparent` (and `tracestate` when there is one) naming this span as the callee's parent. */
  headers: { traceparent: string; tracestate?: string };
  /** Ends the span with the callee's answer, or the error the call failed with. */
  end(outcome: { status?: number | undefined; error?: unknown }): void;
}

/**
 * Starts a CLIENT span under the active span, for a call whose request headers the caller writes
 * itself (the gateway's forwarded requests, where undici's own instrumentation is off so that the
 * request carries one traceparent, this span's). Undefined while tracing is off: the caller then
 * forwards the trace context it has. `attributes` are only worked out with tracing on
 * (the gateway's proxy path is measured per request).
 */
export function startClientSpan(name: string, attributes: () => Attributes): ClientSpan | undefined {
  if (!tracingActive(TRACER)) return undefined;
  const span = trace
    .getTracer(TRACER)
    .startSpan(name, { kind: SpanKind.CLIENT, attributes: attributes() }, context.active());
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  const headers: ClientSpan['headers'] = { traceparent: carrier.traceparent ?? '' };
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  let ended = false;
  return {
    headers,
    end({ status, error }) {
      if (ended) return;
      ended = true;
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (error !== undefined) markSpanFailed(span, error);
      else if (status !== undefined && status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/**
 * Runs `call` inside an active CLIENT span that marks a thrown error and always ends (the
 * notifier's SMTP send). The attributes are the caller's to keep free of personal data. The span's
 * parent is `parent.traceparent` when given (work queued by one trace and done later, outside it:
 * see `activeTraceparent`), else the active span.
 */
export function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  call: (span: Span) => Promise<T>,
  parent?: { traceparent?: string | null | undefined },
): Promise<T> {
  const from = parent?.traceparent
    ? propagation.extract(ROOT_CONTEXT, { traceparent: parent.traceparent })
    : context.active();
  return trace.getTracer(TRACER).startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, from, async (span) => {
    try {
      return await call(span);
    } catch (err) {
      markSpanFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * The active span's traceparent, for work that is stored now and done later outside this trace
 * (an email queued by a consumer, sent by a sweep): undefined while tracing is off or outside spans.
 */
export function activeTraceparent(): string | undefined {
  if (!trace.getSpan(context.active())) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
