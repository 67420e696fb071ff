import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SmtpCapture } from '@convene/testing';

/**
 * The part of Mailpit's HTTP API the demo reads (GET /api/v1/messages, newest first, paged by
 * start/limit; GET /api/v1/message/{ID}), answered from the SMTP capture the system's notifier
 * sends to, so the demo runs here as it runs against compose's Mailpit.
 */
export async function startMailpitApi(smtp: SmtpCapture): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mail');
    const newestFirst = smtp.messages.map((mail, index) => ({ mail, id: String(index) })).reverse();
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const address = (email: string) => ({ Name: '', Address: email });
    if (url.pathname === '/api/v1/messages') {
      const start = Number(url.searchParams.get('start') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      return send(200, {
        total: newestFirst.length,
        messages_count: newestFirst.length,
        start,
        messages: newestFirst.slice(start, start + limit).map(({ mail, id }) => ({
          ID: id,
          From: address(mail.from),
          To: mail.to.map(address),
          Subject: mail.subject,
        })),
      });
    }
    const one = /^\/api\/v1\/message\/(\d+)$/.exec(url.pathname);
    const mail = one ? smtp.messages[Number(one[1])] : undefined;
    if (mail)
      return send(200, {
        ID: one![1],
        To: mail.to.map(address),
        Subject: mail.subject,
        Text: mail.text,
        HTML: mail.html,
      });
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
