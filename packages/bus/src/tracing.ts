import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

const tracer = () => trace.getTracer('@convene/bus');

/** Runs `fn` inside an active span that records a thrown error and always ends. */
export function withSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  parent: Context,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * The publish span's parent: the live span when publishing inside a request, else the trace the
 * envelope was created in (the outbox relay publishes long after that request ended).
 */
export function publishParent(envelope: {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}): Context {
  const active = context.active();
  if (trace.getSpan(active) || !envelope.traceparent) return active;
  const carrier: Record<string, string> = { traceparent: envelope.traceparent };
  if (envelope.tracestate) carrier.tracestate = envelope.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** W3C trace headers (traceparent, tracestate) of the active context, for AMQP headers. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The context a consumer continues, from AMQP headers (values may arrive as strings or Buffers). */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = headers?.[key];
    if (typeof value === 'string') carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

export { SpanKind };

export function messagingAttributes(fields: {
  operation: 'publish' | 'receive';
  destination: string;
  routingKey: string;
  messageId: string;
  bodySize: number;
  correlationId?: string | undefined;
}): Attributes {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': fields.operation,
    'messaging.operation.type': fields.operation === 'publish' ? 'send' : 'process',
    'messaging.destination.name': fields.destination,
    'messaging.rabbitmq.destination.routing_key': fields.routingKey,
    'messaging.message.id': fields.messageId,
    'messaging.message.body.size': fields.bodySize,
    ...(fields.correlationId ? { 'messaging.message.conversation_id': fields.correlationId } : {}),
  };
}
