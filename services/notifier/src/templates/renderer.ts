import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { MESSAGE_TYPES, type MessageType } from '../domain/message-types.ts';
import { TEMPLATE_DATA } from './catalogue.ts';
import { EXAMPLES } from './examples.ts';

/** What the layout adds to every message's data. */
export interface Frame {
  public_url: string;
  /** One-click unsubscribe link; null on security mail. */
  unsubscribe_url: string | null;
  preferences_url: string;
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

const formatter = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

function environment(kind: 'html' | 'text'): typeof Handlebars {
  const env = Handlebars.create();
  env.registerHelper('datetime', (value: unknown) =>
    typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? formatter.format(new Date(value)) : String(value),
  );
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
    preferences_url: 'http://127.0.0.1/p',
  };
  for (const type of MESSAGE_TYPES) {
    renderer.render(type, EXAMPLES[type], frame);
    renderer.render(type, EXAMPLES[type], { ...frame, unsubscribe_url: null });
  }
  return renderer;
}
