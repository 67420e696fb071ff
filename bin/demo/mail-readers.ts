import { reasonOf } from './gateway-client.ts';

/** One email as a mail catcher shows it. */
export interface CaughtMail {
  to: string[];
  subject: string;
  /** The plain-text body (fetched on demand where the catcher lists only summaries). */
  text(): Promise<string>;
}

/**
 * Reads what a mail catcher caught, through its HTTP API: the demo's only way to a guest's
 * invitation link, which nothing but the email carries.
 */
export interface MailReader {
  kind: 'Mailpit' | 'maildev';
  /** The web UI where a person reads the same emails. */
  ui: string;
  /** Every caught email to one of these addresses (lower case), newest first. */
  mailTo(addresses: ReadonlySet<string>): Promise<CaughtMail[]>;
}

const TIMEOUT_MS = 5_000;

/**
 * The reader for a catcher at this address: Mailpit's API (/api/v1/messages) or maildev's
 * (/api/email since maildev 3, /email before).
 */
export async function mailReaderAt(ui: string): Promise<MailReader | { unreadable: string }> {
  const mailpit = await getJson(`${ui}/api/v1/messages?limit=1`).catch((err: unknown) => ({ failed: reasonOf(err) }));
  if (isObject(mailpit) && Array.isArray(mailpit.messages)) return mailpitReader(ui);
  for (const list of [`${ui}/api/email`, `${ui}/email`]) {
    const maildev = await getJson(list).catch(() => undefined);
    if (Array.isArray(maildev)) return maildevReader(ui, list);
  }
  // An HTTP status means something answered there; anything else means nothing did.
  const failed =
    isObject(mailpit) && typeof mailpit.failed === 'string' && !mailpit.failed.startsWith('HTTP ')
      ? mailpit.failed
      : undefined;
  return {
    unreadable: failed
      ? `no mail catcher answers at ${ui} (${failed})`
      : `${ui} answers, but with neither Mailpit's API (/api/v1/messages) nor maildev's (/api/email, /email)`,
  };
}

function mailpitReader(ui: string): MailReader {
  return {
    kind: 'Mailpit',
    ui,
    async mailTo(addresses) {
      const found: CaughtMail[] = [];
      // Newest first, a page at a time, until the end of the mailbox.
      for (let start = 0; ; start += PAGE) {
        const page = (await getJson(`${ui}/api/v1/messages?start=${start}&limit=${PAGE}`)) as MailpitPage;
        for (const summary of page.messages) {
          const to = (summary.To ?? []).map((a) => a.Address.toLowerCase());
          if (!to.some((address) => addresses.has(address))) continue;
          found.push({
            to,
            subject: summary.Subject ?? '',
            text: async () => ((await getJson(`${ui}/api/v1/message/${summary.ID}`)) as { Text?: string }).Text ?? '',
          });
        }
        if (page.messages.length < PAGE || start + PAGE >= page.messages_count) return found;
      }
    },
  };
}

const PAGE = 200;

interface MailpitPage {
  messages_count: number;
  messages: Array<{ ID: string; To?: Array<{ Address: string }>; Subject?: string }>;
}

function maildevReader(ui: string, list: string): MailReader {
  return {
    kind: 'maildev',
    ui,
    async mailTo(addresses) {
      const all = (await getJson(list)) as Array<{
        to?: Array<{ address: string }>;
        subject?: string;
        text?: string;
        date?: string;
      }>;
      return all
        .map((mail) => ({ mail, to: (mail.to ?? []).map((a) => a.address.toLowerCase()) }))
        .filter(({ to }) => to.some((address) => addresses.has(address)))
        .reverse()
        .map(({ mail, to }) => ({ to, subject: mail.subject ?? '', text: async () => mail.text ?? '' }));
    },
  };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
