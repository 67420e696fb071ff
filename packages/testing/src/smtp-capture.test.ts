import { createConnection } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpCapture } from './smtp-capture.ts';

/** Speaks just enough SMTP to hand over one message, so the capture is tested without a mail library. */
async function sendRaw(port: number, lines: string[]): Promise<void> {
  const socket = createConnection(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const next = () =>
    new Promise<string>((resolve) => {
      const onData = (chunk: string) => {
        buffer += chunk;
        const match = buffer.match(/^(\d{3}) .*\r\n/m);
        if (match) {
          socket.off('data', onData);
          buffer = '';
          resolve(match[1]!);
        }
      };
      socket.on('data', onData);
    });
  await next();
  for (const line of lines) {
    socket.write(`${line}\r\n`);
    await next();
  }
  socket.end();
}

describe('startSmtpCapture', () => {
  const ready = startSmtpCapture();
  afterAll(async () => (await ready).close());

  it('captures a delivered message with its envelope, subject and body', async () => {
    const smtp = await ready;
    const waiting = smtp.waitFor((m) => m.subject === 'Hello');
    await sendRaw(smtp.port, [
      'EHLO test',
      'MAIL FROM:<noreply@convene.test>',
      'RCPT TO:<ann@example.com>',
      'DATA',
      'Subject: Hello\r\nFrom: noreply@convene.test\r\nTo: ann@example.com\r\n\r\nYour seat is confirmed.\r\n.',
      'QUIT',
    ]);
    const mail = await waiting;
    expect(mail).toMatchObject({ from: 'noreply@convene.test', to: ['ann@example.com'], subject: 'Hello' });
    expect(mail.text.trim()).toBe('Your seat is confirmed.');
  });

  it('rejects waitFor when nothing matching arrives in time', async () => {
    const smtp = await ready;
    await expect(smtp.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(/no matching mail/);
  });
});
