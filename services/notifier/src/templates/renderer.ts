import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { MESSAGE_TYPES, type MessageType } from '../domain/message-types.ts';
import { type EventFacts, type Reader, TEMPLATE_DATA } from './catalogue.ts';
import { EXAMPLES } from './examples.ts';
import { instantForReader, spanForReader } from './times.ts';

/** What the layout adds to every message's data. */
export interface Frame {
  public_url: string;
  /** One-click unsubscribe link; null on security mail. */
  unsubscribe_url: string | null;
}

export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

export interface Renderer {
  render(type: MessageType, data: unknown, frame: Frame): Rendered;
  /** The subject alone (the inbox entry's title). */
  subject(type: MessageType, data: unknown): string;
}

type Compiled = Handlebars.TemplateDelegate;

const source = (name: string) => readFileSync(new URL(`./${name}.hbs`, import.meta.url), 'utf8');

interface Root {
  event?: { timezone?: string };
  reader?: Reader;
}
const rootOf = (options: Handlebars.HelperOptions) => (options.data?.root ?? {}) as Root;

/**
 * Times are shown in the event's zone, never as an ISO string or in UTC by default:
 * `{{when event}}` is the event's span, `{{datetime x}}` any other instant of the message (an
 * invitation's deadline, a seat offer's); both add the reader's own clock when their profile has a
 * zone that differs. A message about no event (a set-password link) uses the reader's zone, else UTC.
 */
function environment(kind: 'html' | 'text'): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper('datetime', (value: unknown, options: Handlebars.HelperOptions) => {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return String(value);
    const root = rootOf(options);
    return instantForReader(value, root.event?.timezone ?? root.reader?.timezone ?? 'UTC', root.reader);
  });
  env.registerHelper('when', (event: EventFacts, options: Handlebars.HelperOptions) => {
    if (!event.start_time) return 'see the event page';
    return spanForReader(event.start_time, event.end_time, event.timezone, rootOf(options).reader);
  });
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  if (kind === 'html') env.registerPartial('layout', source('_layout.html'));
  else env.registerPartial('footer', source('_footer.text'));
  env.registerPartial('event', source(`_event.${kind}`));
  return env;
}

/**
 * Compiles every template once (HTML with Handlebars' escaping, so user-supplied text can never
 * become markup; text and subject without it, since they are not HTML) and renders each with its
 * example, so a broken template or partial fails the boot rather than the first email.
 * Strict mode: a field the template names but the data lacks is an error, not an empty string.
 */
export function createRenderer(): Renderer {
  const html = environment('html');
  const text = environment('text');
  const compiled = new Map<MessageType, { subject: Compiled; html: Compiled; text: Compiled }>();
  for (const type of MESSAGE_TYPES) {
    compiled.set(type, {
      subject: text.compile(source(`${type}.subject`), { noEscape: true, strict: true }),
      html: html.compile(source(`${type}.html`), { strict: true }),
      text: text.compile(source(`${type}.text`), { noEscape: true, strict: true }),
    });
  }

  const renderer: Renderer = {
    render(type, data, frame) {
      const templates = compiled.get(type);
      if (!templates) throw new Error(`no template for ${type}`);
      const checked = TEMPLATE_DATA[type].parse(data) as Record<string, unknown>;
      const subject = templates
        .subject({ ...checked, ...frame })
        .replace(/\s+/g, ' ')
        .trim();
      const context = { ...checked, ...frame, subject };
      return { subject, html: templates.html(context), text: templates.text(context) };
    },
    subject(type, data) {
      const templates = compiled.get(type);
      if (!templates) throw new Error(`no template for ${type}`);
      return templates.subject(data).replace(/\s+/g, ' ').trim();
    },
  };
  const frame = {
    public_url: 'http://127.0.0.1',
    unsubscribe_url: 'http://127.0.0.1/u',
  };
  for (const type of MESSAGE_TYPES) {
    renderer.render(type, EXAMPLES[type], frame);
    renderer.render(type, EXAMPLES[type], { ...frame, unsubscribe_url: null });
  }
  return renderer;
}
