import { namesOf } from './cast.ts';
import type { GatewayClient, Json } from './gateway-client.ts';
import type { MailReader } from './mail-readers.ts';
import type { StoryFacts } from './run-story.ts';

export interface Ending {
  facts: StoryFacts;
  client: GatewayClient;
  mail: MailReader | undefined;
  /** Why there is no mail reader, when there is none. */
  noMail: string | undefined;
  traceUi: string | undefined;
  emails: number | undefined;
}

/** The closing summary: a few lines an operator can check against the UIs. */
export function tellStory({ facts, client, mail, noMail, traceUi, emails }: Ending): string {
  const { event, stats, feedback } = facts;
  const lines = [
    '',
    `The story of "${event.title}" (event ${event.id})`,
    `  seats       ${event.attendees_count}/${event.max_participants} taken, ${event.available_spots} free`,
    `  waitlist    ${event.waitlist_count} waiting${facts.waiting.length ? ` (${namesOf(facts.waiting.map((name) => ({ name })))})` : ''}; ${facts.cancelled} cancelled and ${facts.promoted.name} moved up in ${(facts.promoted.afterMs / 1000).toFixed(1)} s`,
    `  invitations ${stats.total_sent} sent: ${stats.accepted} accepted, ${stats.rejected} declined, ${stats.pending} pending (acceptance rate ${stats.acceptance_rate}%)${facts.guestsAnswered ? '' : ' — the guests could not read their emails'}`,
    `  feedback    ${feedback.count} ratings, average ${formatAverage(feedback.average)} (${distribution(feedback.distribution)})`,
    mail
      ? `  emails      ${emails} to the demo's people so far; read them in ${mail.kind}: ${mail.ui}`
      : `  emails      not counted: ${noMail}`,
  ];
  if (traceUi) {
    const acceptance = client.traces.get('guest-ada') ?? client.traces.get('members-accept');
    if (acceptance)
      lines.push(
        `  traces      ${traceUi}/trace/${acceptance}  (an acceptance: gateway → invitations → events → notifier)`,
      );
    const cancel = client.traces.get('cancel');
    if (cancel) lines.push(`              ${traceUi}/trace/${cancel}  (the cancellation that moved the waitlist)`);
    lines.push(`              ${traceUi}/search?service=gateway  (every request)`);
  }
  lines.push(`  API         ${client.url}/api/docs`, '');
  return lines.join('\n');
}

function formatAverage(average: unknown): string {
  return typeof average === 'number' ? average.toFixed(1) : String(average);
}

function distribution(value: Json | undefined): string {
  if (!value) return 'no distribution';
  return Object.entries(value)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([stars, count]) => `${stars}★ ${count}`)
    .join(', ');
}
