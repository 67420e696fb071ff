import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** The gateway: the only address the demo talks to for Convene itself. */
  url: string;
  /** Where the emails can be read: a given address, `auto` (look at the usual local ones) or `off`. */
  mailUi: string;
  /** Jaeger's UI: a given address, `auto` or `off`. */
  traceUi: string;
  /** How long after its creation the event starts (the demo waits for the start to leave feedback). */
  startsInMs: number;
  capacity: number;
}

export const USAGE = `usage: ./convene demo [--url URL] [--mail-ui URL|off] [--trace-ui URL|off] [--starts-in 60s] [--capacity 5]

Drives a running Convene through its public API (the gateway) and tells what happened:
a host, an event starting soon, invitations by email answered as guests and signed in,
registrations until the event is full, a waitlist that moves when someone cancels, feedback.

  --url        the gateway (default $CONVENE_URL, else http://localhost:8080)
  --mail-ui    Mailpit or maildev, whose HTTP API the demo reads the guests' invitation links from
               (default $CONVENE_MAIL_UI, else the first of http://localhost:8025 (Mailpit, compose)
               and http://localhost:1080 (maildev, ./convene start) that answers); off: guests are skipped
  --trace-ui   Jaeger's UI, for links to the demo's traces (default $CONVENE_TRACE_UI, else
               http://localhost:16686 when it answers)
  --starts-in  how soon the event starts: 90s, 2m (default 60s; at least 5s, at most 10m)
  --capacity   seats (default 5, 5 to 20: four invitees take seats before anyone registers)`;

export class UsageError extends Error {}

/** The command line over the environment over the defaults. */
export function demoOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'mail-ui': { type: 'string' },
      'trace-ui': { type: 'string' },
      'starts-in': { type: 'string' },
      capacity: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const startsInMs = durationMs(values['starts-in'] ?? '60s');
  if (startsInMs < 5_000 || startsInMs > 600_000) throw new UsageError('--starts-in must be between 5s and 10m');
  const capacity = Number(values.capacity ?? '5');
  if (!Number.isInteger(capacity) || capacity < 5 || capacity > 20) {
    throw new UsageError('--capacity must be a whole number from 5 to 20');
  }
  return {
    url: address(values.url ?? env.CONVENE_URL ?? 'http://localhost:8080', '--url'),
    mailUi: choice(values['mail-ui'] ?? env.CONVENE_MAIL_UI ?? 'auto', '--mail-ui'),
    traceUi: choice(values['trace-ui'] ?? env.CONVENE_TRACE_UI ?? 'auto', '--trace-ui'),
    startsInMs,
    capacity,
  };
}

function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`--starts-in: "${text}" is not a duration like 60s or 2m`);
  const unit = match[2] ?? 's';
  return Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1_000 : 60_000);
}

function choice(value: string, flag: string): string {
  return value === 'auto' || value === 'off' ? value : address(value, flag);
}

function address(value: string, flag: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url.href.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${flag}: "${value}" is not an http(s) address`);
  }
}
