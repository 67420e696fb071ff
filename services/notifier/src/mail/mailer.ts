import { inClientSpan } from '@convene/kit';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  attachments: Array<{ filename: string; content: string; contentType: string }>;
}

/** Thrown by a mailer; carries what the retry policy needs. */
export interface MailError extends Error {
  code?: string;
  responseCode?: number;
}

/** Where mail goes: SMTP in the service, anything with this shape in a unit test. */
export interface Mailer {
  /**
   * Resolves with the provider's message id once the server accepted the message. `trace` is the
   * trace the delivery was queued in, which the send's span continues.
   */
  send(mail: OutgoingMail, trace?: { traceparent?: string | null | undefined }): Promise<{ messageId: string | null }>;
  close(): void;
}

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  pool: boolean;
  maxConnections: number;
  timeoutMs: number;
}

/**
 * nodemailer over SMTP. Pooled by default: connections stay open and are reused, up to
 * `maxConnections` at once, each carrying many messages. A connection that fails is dropped by
 * the pool and the next send opens a fresh one, so a mail server coming back is simply used again.
 */
export function smtpMailer(options: SmtpOptions): Mailer {
  const common = {
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user ? { auth: { user: options.user, pass: options.pass ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  };
  const transport = options.pool
    ? nodemailer.createTransport({
        ...common,
        pool: true,
        maxConnections: options.maxConnections,
        maxMessages: Number.POSITIVE_INFINITY,
      })
    : nodemailer.createTransport(common);
  return {
    send(mail, trace) {
      // A CLIENT span per message: where it went and which template, never the recipient, the
      // subject or the body (the delivery id names the recipient too).
      const attributes = {
        'server.address': options.host,
        'server.port': options.port,
        'network.protocol.name': 'smtp',
        'convene.mail.template': mail.headers['X-Convene-Template'] ?? 'unknown',
      };
      return inClientSpan(
        'smtp send',
        attributes,
        async (span) => {
          const info = (await transport.sendMail(mail)) as { messageId?: string };
          if (info.messageId) span.setAttribute('convene.mail.message_id', info.messageId);
          return { messageId: info.messageId ?? null };
        },
        trace,
      );
    },
    close() {
      transport.close();
    },
  };
}
