import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../domain/message-types.ts';
import { EXAMPLES } from './examples.ts';
import { createRenderer } from './renderer.ts';

const PUBLIC = 'http://convene.test';
const UNSUBSCRIBE = `${PUBLIC}/api/notifications/unsubscribe/example-token`;

/** Every address a reader can open: the HTML part's hrefs and the bare URLs of both parts. */
function linksIn(html: string, text: string): string[] {
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  const bare = [...`${html}\n${text}`.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0].replace(/[.,;)]+$/, ''));
  return [...new Set([...hrefs, ...bare])];
}

/** A page made for people, or the mail's own action (one-click unsubscribe). */
function isAllowed(url: string): boolean {
  const { pathname } = new URL(url);
  if (url === UNSUBSCRIBE) return true;
  if (pathname.startsWith('/api/')) return false;
  return /^\/(e|invite|set-password)\/[^/]+$/.test(pathname);
}

describe('links in emails', () => {
  const renderer = createRenderer();
  const frames = [
    { public_url: PUBLIC, unsubscribe_url: UNSUBSCRIBE },
    { public_url: PUBLIC, unsubscribe_url: null },
  ];

  it.each(MESSAGE_TYPES)('%s links only to pages and to its own unsubscribe action', (type) => {
    for (const frame of frames) {
      const out = renderer.render(type, EXAMPLES[type], frame);
      const links = linksIn(out.html, out.text);
      expect(links.length, 'every message links somewhere').toBeGreaterThan(0);
      for (const link of links) expect(isAllowed(link), `${type}: ${link}`).toBe(true);
    }
  });

  it('the check refuses an API address, so a template linking to one fails', () => {
    expect(isAllowed(`${PUBLIC}/api/events/evt-example`)).toBe(false);
    expect(isAllowed(`${PUBLIC}/api/notifications/preferences`)).toBe(false);
    expect(isAllowed(`${PUBLIC}/e/evt-example`)).toBe(true);
    expect(linksIn('<a href="http://x.test/api/a">a</a>', 'see http://x.test/b.')).toEqual([
      'http://x.test/api/a',
      'http://x.test/b',
    ]);
  });

  it('every message about an event links to its public page', () => {
    for (const type of MESSAGE_TYPES) {
      if (type === 'user-invited') continue;
      const out = renderer.render(type, EXAMPLES[type], frames[0]!);
      expect(out.html, type).toContain('href="http://127.0.0.1:8080/e/evt-example"');
      expect(out.text, type).toContain('http://127.0.0.1:8080/e/evt-example');
    }
  });
});
