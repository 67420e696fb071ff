import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type StopTelemetry, startTelemetry } from '@convene/kit';
import { freePort, type SmtpCapture, startSmtpCapture } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingMail, smtpMailer } from './mailer.ts';

interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  parentSpanId?: string;
  status?: { code?: number };
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}

const CLIENT = 3;
const exported: string[] = [];
let collector: Server;
let stopTelemetry: StopTelemetry;
let smtp: SmtpCapture;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exported.push(Buffer.concat(chunks).toString('utf8'));
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  stopTelemetry = await startTelemetry({ service: 'notifier', otlpEndpoint: `http://127.0.0.1:${port}` });
  smtp = await startSmtpCapture();
});

afterAll(async () => {
  await stopTelemetry?.();
  await smtp?.close();
  await new Promise<void>((resolve) => collector?.close(() => resolve()));
});

const mail = (to: string): OutgoingMail => ({
  from: 'Convene <no-reply@convene.example>',
  to: { name: 'Rita Recipient', address: to },
  subject: 'Registration confirmed: Secret Summit',
  html: '<p>Your seat at the Secret Summit</p>',
  text: 'Your seat at the Secret Summit',
  headers: { 'X-Convene-Delivery': `e1:registration-confirmed:${to}`, 'X-Convene-Template': 'registration-confirmed' },
  attachments: [],
});

const options = (port: number) => ({
  host: '127.0.0.1',
  port,
  secure: false,
  pool: false,
  maxConnections: 1,
  timeoutMs: 5000,
});

function spans(): OtlpSpan[] {
  return exported.flatMap((text) =>
    (JSON.parse(text) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans.flatMap(
      (r) => r.scopeSpans.flatMap((s) => s.spans),
    ),
  );
}

const attribute = (span: OtlpSpan | undefined, key: string) => {
  const value = span?.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('the SMTP send in a trace', () => {
  it('is a client span continuing the trace its delivery was queued in, naming no recipient', async () => {
    const sentTrace = '0af7651916cd43dd8448eb211c80319c';
    const failedTrace = '5ae8ad4b3c3c4c0f9a4f1d2e3f405162';
    const { messageId } = await smtpMailer(options(smtp.port)).send(mail('rita@example.com'), {
      traceparent: `00-${sentTrace}-b7ad6b7169203331-01`,
    });
    const closed = await freePort();
    await expect(
      smtpMailer(options(closed)).send(mail('otto@example.com'), {
        traceparent: `00-${failedTrace}-1a2b3c4d5e6f7081-01`,
      }),
    ).rejects.toThrow();
    await stopTelemetry();

    const sends = spans().filter((span) => span.name === 'smtp send');
    const sent = sends.find((span) => span.traceId === sentTrace);
    expect(sent?.kind).toBe(CLIENT);
    expect(sent?.parentSpanId).toBe('b7ad6b7169203331');
    expect(attribute(sent, 'server.address')).toBe('127.0.0.1');
    expect(attribute(sent, 'server.port')).toBe(smtp.port);
    expect(attribute(sent, 'convene.mail.template')).toBe('registration-confirmed');
    expect(attribute(sent, 'convene.mail.message_id')).toBe(messageId);
    const failed = sends.find((span) => span.traceId === failedTrace);
    expect(failed?.parentSpanId).toBe('1a2b3c4d5e6f7081');
    expect(failed?.status?.code).toBe(2);
    expect(attribute(failed, 'error.type')).toBeDefined();
    // Neither the address (nor the delivery id, which holds it), the name, the subject nor the body.
    const everything = exported.join('\n');
    for (const secret of ['rita@example.com', 'otto@example.com', 'Rita Recipient', 'Secret Summit']) {
      expect(everything).not.toContain(secret);
    }
  });
});
