import { formatInstant, formatSpan } from '@convene/domain-kit';
import { html } from 'hono/html';
import type { Html } from './layout.ts';

function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * "Sun, 29 Mar 2026, 04:30 – 06:30 EEST" in the event's zone (the start alone when the end is
 * unknown), inside a <time> that keeps the instant; nothing when the start is not an instant.
 */
export function spanIn(start: unknown, end: unknown, zone: string): Html | undefined {
  const from = instant(start);
  if (!from) return undefined;
  const to = instant(end);
  const words = to && to.getTime() >= from.getTime() ? formatSpan(from, to, zone) : formatInstant(from, zone);
  return html`<time datetime="${from.toISOString()}">${words}</time>`;
}

/** One instant in words in `zone` ("Mon, 14 Dec 2026, 19:23 EET"), or nothing when it is not one. */
export function instantIn(value: unknown, zone: string): Html | undefined {
  const at = instant(value);
  return at ? html`<time datetime="${at.toISOString()}">${formatInstant(at, zone)}</time>` : undefined;
}
