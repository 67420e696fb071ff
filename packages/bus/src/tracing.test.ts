import { eventually, testInfra, uniqueName } from '@convene/testing';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus.ts';
import { userActivated } from './test-support/envelopes.ts';
import { headerText, rawChannel, takeMessages } from './test-support/raw-amqp.ts';

const namespace = `${uniqueName('bus')}.`;
const { amqpUrl } = testInfra();

describe('Bus tracing', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let bus: Bus;
  let raw: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    bus = await Bus.connect({ url: amqpUrl, service: 'trace', namespace, retryDelaysMs: [200] });
    raw = await rawChannel(amqpUrl);
  });

  afterAll(async () => {
    await bus?.close({ timeoutMs: 1000 });
    await raw.connection.close();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('carries the publisher’s trace to the handler through a traceparent header', async () => {
    let handlerTraceId: string | undefined;
    await bus.subscribe('traced', {
      'user.activated': () => {
        handlerTraceId = trace.getActiveSpan()?.spanContext().traceId;
      },
    });
    const tap = `${namespace}tap.trace`;
    await raw.channel.assertQueue(tap, { durable: false, autoDelete: true });
    await raw.channel.bindQueue(tap, bus.names.exchange, 'user.activated');

    const parent = trace.getTracer('test').startSpan('request');
    const sent = userActivated(1);
    await context.with(trace.setSpan(context.active(), parent), () => bus.publish([sent]));
    parent.end();
    const traceId = parent.spanContext().traceId;

    await eventually(() => handlerTraceId, { what: 'the handler' });
    expect(handlerTraceId).toBe(traceId);
    const [tapped] = await takeMessages(raw.channel, tap, 1);
    expect(headerText(tapped!, 'traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    const spans = await eventually(() => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name === `process ${namespace}trace.traced`) ? all : undefined;
    });
    const publish = spans.find((s) => s.name === `publish ${bus.names.exchange}`)!;
    const processed = spans.find((s) => s.name === `process ${namespace}trace.traced`)!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(traceId);
    expect(publish.attributes).toMatchObject({
      'messaging.system.name': 'rabbitmq',
      'messaging.system': 'rabbitmq',
      'messaging.operation.name': 'publish',
      'messaging.operation.type': 'send',
      'messaging.destination.name': bus.names.exchange,
      'rabbitmq.destination.routing_key': 'user.activated',
      'messaging.rabbitmq.destination.routing_key': 'user.activated',
      'messaging.message.id': sent.id,
    });
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(processed.attributes).toMatchObject({
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': `${namespace}trace.traced`,
      'messaging.message.id': sent.id,
    });
    // The header names the publish span itself, so the consumer's parent is that span.
    expect(headerText(tapped!, 'traceparent')).toBe(`00-${traceId}-${publish.spanContext().spanId}-01`);
    // Only facts about the message: never its body (names, email addresses).
    expect(JSON.stringify([publish.attributes, processed.attributes])).not.toContain(sent.data.email);
  });

  it('continues the trace stored in the envelope when publishing outside any span (outbox relay)', async () => {
    const stored = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const sent = { ...userActivated(2), traceparent: stored };
    await bus.publish([sent]);
    const publish = await eventually(() =>
      exporter
        .getFinishedSpans()
        .find((s) => s.name === `publish ${bus.names.exchange}` && s.attributes['messaging.message.id'] === sent.id),
    );
    expect(publish.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(publish.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('prefers the envelope’s trace to the context the relay happens to run in', async () => {
    const stored = '00-5ae8ad4b3c3c4c0f9a4f1d2e3f405162-1a2b3c4d5e6f7081-01';
    const sent = { ...userActivated(4), traceparent: stored };
    const unrelated = trace.getTracer('test').startSpan('another request');
    await context.with(trace.setSpan(context.active(), unrelated), () => bus.publish([sent]));
    unrelated.end();
    const publish = await eventually(() =>
      exporter
        .getFinishedSpans()
        .find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === sent.id),
    );
    expect(publish.spanContext().traceId).toBe('5ae8ad4b3c3c4c0f9a4f1d2e3f405162');
    expect(publish.parentSpanContext?.spanId).toBe('1a2b3c4d5e6f7081');
  });

  it('marks a handler error on the process span, without its message', async () => {
    const failing = userActivated(3);
    await bus.subscribe('traced-failure', {
      'user.activated': (event) => {
        if (event.id === failing.id) throw new Error('handler blew up');
      },
    });
    await bus.publish([failing]);
    const receive = await eventually(() =>
      exporter
        .getFinishedSpans()
        .find(
          (s) =>
            s.name === `process ${namespace}trace.traced-failure` &&
            s.attributes['messaging.message.id'] === failing.id,
        ),
    );
    expect(receive.status.code).toBe(2);
    expect(receive.attributes['error.type']).toBe('Error');
    // The error's message may quote the payload; only its kind is recorded.
    expect(JSON.stringify([receive.status, receive.attributes, receive.events])).not.toContain('blew up');
  });
});
