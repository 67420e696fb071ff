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
  /** Resolves with the provider's message id once the server accepted the message. */
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
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
    async send(mail) {
      const info = (await transport.sendMail(mail)) as { messageId?: string };
      return { messageId: info.messageId ?? null };
    },
    close() {
      transport.close();
    },
  };
}
