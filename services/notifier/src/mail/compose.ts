import { renderCalendar } from '@convene/domain-kit';
import { categoryOf, type MessageType } from '../domain/message-types.ts';
import { unsubscribeToken } from '../domain/unsubscribe-token.ts';
import type { DeliveryDoc } from '../store/delivery-model.ts';
import type { TemplateData } from '../templates/catalogue.ts';
import type { Renderer } from '../templates/renderer.ts';
import type { OutgoingMail } from './mailer.ts';

export interface ComposeOptions {
  renderer: Renderer;
  from: string;
  publicUrl: string;
  unsubscribeSecret: string;
  /** The organizer contact shown to people who may not see the host's address. */
  contactEmail: string;
  now: () => Date;
}

/**
 * Reminders queued before the organizer rule carry the host's own address as `host_email`: they are
 * sent with the organizer contact instead (the recipient may not be the host), never dropped.
 */
function upgradeQueued(type: MessageType, data: unknown, contactEmail: string): unknown {
  if (type !== 'event-reminder' || typeof data !== 'object' || data === null) return data;
  const { host_email, ...rest } = data as Record<string, unknown>;
  if (host_email === undefined || 'organizer_email' in rest) return data;
  return { ...rest, organizer_email: contactEmail };
}

/**
 * Deliveries queued before emails linked the public event page hold `/api/events/<id>`, which a
 * browser shows as JSON: they are sent with the page's address instead.
 */
function pageLinkOfQueued(data: unknown, publicUrl: string): unknown {
  if (typeof data !== 'object' || data === null) return data;
  const event = (data as { event?: { event_id?: unknown; url?: unknown } }).event;
  if (typeof event?.url !== 'string' || typeof event.event_id !== 'string') return data;
  if (!URL.canParse(event.url) || !new URL(event.url).pathname.startsWith('/api/events/')) return data;
  return { ...data, event: { ...event, url: `${base(publicUrl)}/e/${encodeURIComponent(event.event_id)}` } };
}

export function unsubscribeUrl(
  opts: Pick<ComposeOptions, 'publicUrl' | 'unsubscribeSecret'>,
  email: string,
  category: string,
) {
  return `${base(opts.publicUrl)}/api/notifications/unsubscribe/${unsubscribeToken(opts.unsubscribeSecret, email, category)}`;
}

const base = (url: string) => url.replace(/\/+$/, '');

/**
 * A delivery as an email: the rendered parts, a one-click List-Unsubscribe (RFC 8058) on
 * non-essential mail, and the `.ics` entry on event reminders.
 */
export function composeMail(delivery: DeliveryDoc, opts: ComposeOptions): OutgoingMail {
  const type = delivery.template as MessageType;
  const unsubscribe = delivery.essential ? null : unsubscribeUrl(opts, delivery.recipient.email, categoryOf(type));
  const data = pageLinkOfQueued(upgradeQueued(type, delivery.data, opts.contactEmail), opts.publicUrl);
  const rendered = opts.renderer.render(type, data, {
    public_url: base(opts.publicUrl),
    unsubscribe_url: unsubscribe,
  });
  const headers: Record<string, string> = {
    'X-Convene-Delivery': delivery._id,
    'X-Convene-Template': delivery.template,
  };
  if (unsubscribe) {
    headers['List-Unsubscribe'] = `<${unsubscribe}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const attachments: OutgoingMail['attachments'] = [];
  if (type === 'event-reminder') {
    const reminder = data as TemplateData<'event-reminder'>;
    const start = new Date(reminder.event.start_time ?? opts.now());
    attachments.push({
      filename: 'event.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: renderCalendar(
        {
          uid: reminder.event.event_id,
          title: reminder.event.title,
          description: reminder.description,
          location: reminder.event.location ?? '',
          start,
          end: reminder.event.end_time ? new Date(reminder.event.end_time) : new Date(start.getTime() + 3_600_000),
          organizer: { name: reminder.host_name, email: reminder.organizer_email },
          url: reminder.event.url,
          timezone: reminder.event.timezone,
        },
        { now: opts.now(), productId: '-//Convene//Notifier//EN' },
      ),
    });
  }
  return {
    from: opts.from,
    to: { name: delivery.recipient.name, address: delivery.recipient.email },
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    attachments,
  };
}
