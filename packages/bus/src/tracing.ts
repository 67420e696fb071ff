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

/**
 * Runs `fn` inside an active span that marks a thrown error and always ends. Only the error's
 * kind goes on the span (`error.type`), not its message: a duplicate-key error quotes the key
 * (an email address), a handler's error may quote the payload.
 */
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
      markSpanFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Marks a span failed with only the kind of failure (`error.type`: the error's code or class),
 * never its message: an SMTP refusal or a duplicate key quotes an address.
 */
export function markSpanFailed(span: Span, err: unknown): void {
  span.setAttribute('error.type', errorType(err));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function errorType(err: unknown): string {
  if (typeof err !== 'object' || err === null) return typeof err;
  const { code, name } = err as { code?: unknown; name?: unknown };
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return typeof name === 'string' ? name : 'Error';
}

/**
 * The publish span's parent: the trace the envelope was built in (the outbox relay publishes long
 * after that request ended, and one relay run drains the envelopes of many requests, whatever
 * context the run itself happens to be in), else the live span.
 */
export function publishParent(envelope: {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}): Context {
  const active = context.active();
  if (!envelope.traceparent) return active;
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

export interface MessageFacts {
  /** The exchange published to, or the queue consumed from. */
  destination: string;
  routingKey: string;
  messageId: string;
  bodySize: number;
  correlationId?: string | undefined;
}

/**
 * The PRODUCER span of one publish, `publish <exchange>`. Its context is what the traceparent
 * header carries, so each consumer's process span is its child.
 */
export function publishSpan<T>(facts: MessageFacts, parent: Context, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(`publish ${facts.destination}`, SpanKind.PRODUCER, messagingAttributes('publish', facts), parent, fn);
}

/** The CONSUMER span of handling one delivery, `process <queue>`, a child of the publish span. */
export function processSpan<T>(facts: MessageFacts, parent: Context, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(`process ${facts.destination}`, SpanKind.CONSUMER, messagingAttributes('process', facts), parent, fn);
}

/**
 * The OpenTelemetry messaging attributes (semantic conventions 1.45). `messaging.system` and
 * `messaging.rabbitmq.destination.routing_key` are their older names, kept beside the current
 * `messaging.system.name` and `rabbitmq.destination.routing_key` while tracing back ends still
 * look for them. Never the body: envelopes carry email addresses and names.
 */
export function messagingAttributes(operation: 'publish' | 'process', facts: MessageFacts): Attributes {
  return {
    'messaging.system.name': 'rabbitmq',
    'messaging.system': 'rabbitmq',
    'messaging.operation.name': operation,
    'messaging.operation.type': operation === 'publish' ? 'send' : 'process',
    'messaging.destination.name': facts.destination,
    'rabbitmq.destination.routing_key': facts.routingKey,
    'messaging.rabbitmq.destination.routing_key': facts.routingKey,
    'messaging.message.id': facts.messageId,
    'messaging.message.body.size': facts.bodySize,
    ...(facts.correlationId ? { 'messaging.message.conversation_id': facts.correlationId } : {}),
  };
}
