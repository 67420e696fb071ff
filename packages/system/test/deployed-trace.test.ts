import { randomBytes } from 'node:crypto';
import { type CapturedMail, eventually, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployedSystem, eventBody, signUp, startDeployed } from '../src/index.ts';
import { type OtlpReceiver, type ReceivedSpan, SpanKinds, startOtlpReceiver } from './support/otlp-receiver.ts';

/**
 * One request followed across the system as deployed: the six services as separate OS processes,
 * each exporting its spans over OTLP/HTTP to a receiver in this test. A guest accepts an
 * invitation through the gateway with a traceparent of ours; the trace must then hold the
 * gateway's spans, invitations' request and its outbox publish, events reserving the seat from
 * that message and publishing the outcome, invitations recording it, and the notifier's
 * consumers and SMTP sends, every consumer span the child of the publish span of its message.
 */
const MAIL_TIMEOUT_MS = 30_000;
const SPANS_TIMEOUT_MS = 30_000;

let receiver: OtlpReceiver;
let system: DeployedSystem;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startDeployed({
    // A short batch delay: the spans arrive within a fraction of a second of their end.
    env: { '*': { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

const mailTo = (to: string, subject: RegExp | string) =>
  system.smtp.waitFor(
    (mail: CapturedMail) =>
      mail.to.some((address) => address.toLowerCase() === to.toLowerCase()) &&
      (typeof subject === 'string' ? mail.subject === subject : subject.test(mail.subject)),
    MAIL_TIMEOUT_MS,
  );

const routingKey = (span: ReceivedSpan) => span.attributes['rabbitmq.destination.routing_key'];

describe('one trace across services', () => {
  it('follows an accepted invitation from the gateway through every service to the emails it causes', async () => {
    const host = await signUp(system.api);
    const created = await system.api.post('/api/events', eventBody({ max_participants: 5 }), { token: host.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const event = created.body;
    const guest = `${uniqueName('guest')}@example.com`;
    const invited = await system.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [guest] },
      { token: host.token },
    );
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const invitation = await mailTo(guest, `${event.host_name} invited you to ${event.title}`);
    const link = /https?:\/\/\S+\/invite\/\S+/.exec(invitation.text)?.[0];
    expect(link, invitation.text).toBeDefined();
    const token = new URL(link!).pathname.split('/').filter(Boolean).pop()!;

    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const accepted = await system.api.post(
      '/api/attendee-invitations/accept',
      { token, full_name: 'Gail Guest' },
      { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    await mailTo(host.person.email, /^Gail Guest accepted your invitation to /);
    await mailTo(guest, `Registration confirmed: ${event.title}`);

    // The spans arrive on each process's batch delay: wait until the whole chain is in.
    const chain = await eventually(
      () => {
        const spans = receiver.spans().filter((span) => span.traceId === traceId);
        const found = chainIn(spans, callerSpanId);
        return found.complete ? { spans, ...found } : undefined;
      },
      { timeoutMs: SPANS_TIMEOUT_MS, what: 'the whole trace of the acceptance at the receiver' },
    ).catch((err: Error) => {
      const got = receiver.spans().filter((span) => span.traceId === traceId);
      throw new Error(`${err.message}\nspans of the trace so far:\n${got.map(summary).join('\n')}`);
    });
    const { spans, gatewayServer, gatewayClient, invitationsServer, acceptedPublish, seatProcess } = chain;

    // One trace id across the services, each naming itself.
    expect([...new Set(spans.map((span) => span.service))]).toEqual(
      expect.arrayContaining(['gateway', 'invitations', 'events', 'notifier']),
    );
    // The gateway continues the caller's trace; the service's span is the child of its client span.
    expect(gatewayServer.parentSpanId).toBe(callerSpanId);
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(invitationsServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(invitationsServer.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/attendee-invitations/accept',
      'http.response.status_code': 200,
    });
    // The outbox relay's publish continues the request that wrote the outbox document.
    expect(acceptedPublish.parentSpanId).toBe(invitationsServer.spanId);
    expect(acceptedPublish.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
    });
    expect(acceptedPublish.name).toBe(`publish ${acceptedPublish.attributes['messaging.destination.name']}`);
    expect(seatProcess.service).toBe('events');
    expect(seatProcess.name).toBe(`process ${seatProcess.attributes['messaging.destination.name']}`);

    // Every consumer span is the child of the publish span of the message it processed.
    const producers = new Map(
      spans.filter((span) => span.kind === SpanKinds.PRODUCER).map((span) => [span.spanId, span]),
    );
    const consumers = spans.filter((span) => span.kind === SpanKinds.CONSUMER);
    expect(consumers.length).toBeGreaterThanOrEqual(4);
    for (const consumer of consumers) {
      const producer = producers.get(consumer.parentSpanId ?? '');
      expect(producer, `${consumer.service} ${consumer.name} (${routingKey(consumer)})`).toBeDefined();
      expect(producer!.attributes['messaging.message.id']).toBe(consumer.attributes['messaging.message.id']);
    }
    // events' outcome reaches invitations (which records it) and the notifier (feedback too).
    const seatOutcome = spans.filter(
      (span) =>
        span.kind === SpanKinds.PRODUCER && span.service === 'events' && span.parentSpanId === seatProcess.spanId,
    );
    expect(seatOutcome.length).toBeGreaterThanOrEqual(1);
    const outcomeIds = new Set(seatOutcome.map((span) => span.spanId));
    const outcomeConsumers = consumers.filter((span) => outcomeIds.has(span.parentSpanId ?? ''));
    expect([...new Set(outcomeConsumers.map((span) => span.service))]).toEqual(
      expect.arrayContaining(['invitations', 'notifier']),
    );

    // The emails: an SMTP client span each, inside a notifier consumer's span.
    const smtp = spans.filter((span) => span.kind === SpanKinds.CLIENT && span.name === 'smtp send');
    expect(smtp.length).toBeGreaterThanOrEqual(2);
    const notifierConsumers = new Set(consumers.filter((s) => s.service === 'notifier').map((s) => s.spanId));
    for (const send of smtp) {
      expect(send.service).toBe('notifier');
      expect(notifierConsumers.has(send.parentSpanId ?? '')).toBe(true);
      expect(send.attributes['server.address']).toBe('127.0.0.1');
      expect(send.attributes['server.port']).toBe(system.smtp.port);
    }

    // MongoDB work of the request is in the trace too, below invitations' server span.
    const database = spans.filter((span) => span.service === 'invitations' && isDatabaseSpan(span));
    expect(database.some((span) => descendsFrom(span, invitationsServer, spans))).toBe(true);

    // What is never put on a span: addresses, names, tokens.
    const exported = receiver.raw();
    for (const secret of [guest, host.person.email, token, host.token, 'Gail Guest']) {
      expect(exported).not.toContain(secret);
    }
  });
});

interface Chain {
  complete: boolean;
  gatewayServer: ReceivedSpan;
  gatewayClient: ReceivedSpan;
  invitationsServer: ReceivedSpan;
  acceptedPublish: ReceivedSpan;
  seatProcess: ReceivedSpan;
}

/** The spans the test follows, found by their relations; `complete` once every link is there. */
function chainIn(spans: ReceivedSpan[], callerSpanId: string): Chain {
  const find = (test: (span: ReceivedSpan) => boolean) => spans.find(test);
  const gatewayServer = find((s) => s.service === 'gateway' && s.kind === SpanKinds.SERVER);
  const gatewayClient = find((s) => s.service === 'gateway' && s.kind === SpanKinds.CLIENT);
  const invitationsServer = find((s) => s.service === 'invitations' && s.kind === SpanKinds.SERVER);
  const acceptedPublish = find(
    (s) => s.service === 'invitations' && s.kind === SpanKinds.PRODUCER && routingKey(s) === 'invitation.accepted',
  );
  const seatProcess = find(
    (s) => s.service === 'events' && s.kind === SpanKinds.CONSUMER && routingKey(s) === 'invitation.accepted',
  );
  const consumers = spans.filter((s) => s.kind === SpanKinds.CONSUMER);
  const smtp = spans.filter((s) => s.kind === SpanKinds.CLIENT && s.name === 'smtp send');
  const complete =
    gatewayServer?.parentSpanId === callerSpanId &&
    !!gatewayClient &&
    !!invitationsServer &&
    !!acceptedPublish &&
    !!seatProcess &&
    consumers.some((s) => s.service === 'invitations') &&
    consumers.filter((s) => s.service === 'notifier').length >= 2 &&
    smtp.length >= 2;
  return {
    complete,
    gatewayServer: gatewayServer!,
    gatewayClient: gatewayClient!,
    invitationsServer: invitationsServer!,
    acceptedPublish: acceptedPublish!,
    seatProcess: seatProcess!,
  };
}

function summary(span: ReceivedSpan): string {
  return `${span.service} kind=${span.kind} ${span.name} ${span.spanId} <- ${span.parentSpanId ?? '-'} ${routingKey(span) ?? ''}`;
}

function isDatabaseSpan(span: ReceivedSpan): boolean {
  return span.attributes['db.system.name'] === 'mongodb' || span.attributes['db.system'] === 'mongodb';
}

function descendsFrom(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let at: ReceivedSpan | undefined = span; at; at = byId.get(at.parentSpanId ?? '')) {
    if (at.parentSpanId === ancestor.spanId) return true;
  }
  return false;
}
