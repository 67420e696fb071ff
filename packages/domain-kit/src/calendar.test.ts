import { describe, expect, it } from 'vitest';
import {
  calendarParam,
  calendarText,
  defaultContactEmail,
  foldCalendarLine,
  organizerAddress,
  renderCalendar,
} from './calendar.ts';

/** Undoes folding (§3.1): a CRLF followed by one space or tab joins the lines. */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

/**
 * A content line read back by the grammar of §3.1: name *(";" param) ":" value, where a param
 * value is a quoted-string (no DQUOTE inside) or paramtext (no `"` `;` `:` `,`).
 */
function parseLine(line: string) {
  const name = /^[A-Za-z0-9-]+/.exec(line)?.[0] ?? '';
  let rest = line.slice(name.length);
  const params: Record<string, string> = {};
  while (rest.startsWith(';')) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a parameter value may hold no control character
    const m = /^;([A-Za-z0-9-]+)=("([^"\u0000-\u001f]*)"|([^";:,\u0000-\u001f]*))/.exec(rest);
    if (!m) throw new Error(`bad parameter in ${line}`);
    params[m[1]!] = m[3] ?? m[4] ?? '';
    rest = rest.slice(m[0].length);
  }
  if (!rest.startsWith(':')) throw new Error(`no value in ${line}`);
  return { name, params, value: rest.slice(1) };
}

const base = {
  uid: 'e1',
  title: 'Sample',
  start: new Date('2030-06-15T09:00:00Z'),
  end: new Date('2030-06-15T11:30:00Z'),
};
const at = { now: new Date('2030-01-02T03:04:05Z'), productId: '-//Convene//Test//EN' };

describe('renderCalendar', () => {
  it('writes one VEVENT with UTC times, CRLF line ends and every line at most 75 octets', () => {
    const ics = renderCalendar(
      {
        ...base,
        title: 'Launch; party, with "friends"',
        description: `Line one\nLine two ${'x'.repeat(100)}`,
        location: 'Hall A',
        updatedAt: new Date('2030-01-01T00:00:00Z'),
        status: 'CONFIRMED',
      },
      at,
    );
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Convene//Test//EN\r\n')).toBe(true);
    expect(ics).toContain('\r\nDTSTAMP:20300102T030405Z\r\n');
    expect(ics).toContain('\r\nLAST-MODIFIED:20300101T000000Z\r\n');
    expect(ics).toContain('\r\nDTSTART:20300615T090000Z\r\nDTEND:20300615T113000Z\r\n');
    expect(ics).toContain('\r\nSUMMARY:Launch\\; party\\, with "friends"\r\n');
    expect(ics).toContain('\r\nSTATUS:CONFIRMED\r\n');
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain(`DESCRIPTION:Line one\\nLine two ${'x'.repeat(100)}`);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
  });

  it('leaves out empty optional fields', () => {
    const lines = unfold(renderCalendar(base, at)).map((l) => l.split(/[:;]/)[0]);
    for (const name of ['DESCRIPTION', 'LOCATION', 'ORGANIZER', 'URL', 'STATUS', 'LAST-MODIFIED']) {
      expect(lines).not.toContain(name);
    }
  });

  it('quotes the organizer name as a parameter, so `A; B: "C"` reads back as one CN and the address', () => {
    const ics = renderCalendar({ ...base, organizer: { name: 'A; B: "C"', email: 'noreply@convene.test' } }, at);
    const lines = unfold(ics).filter((l) => l.startsWith('ORGANIZER'));
    expect(lines).toEqual(['ORGANIZER;CN="A; B: C":mailto:noreply@convene.test']);
    expect(parseLine(lines[0]!)).toEqual({
      name: 'ORGANIZER',
      params: { CN: 'A; B: C' },
      value: 'mailto:noreply@convene.test',
    });
  });

  it('lets no line break in a name or text start a line of its own', () => {
    const ics = renderCalendar(
      { ...base, title: 'One\rTwo\nThree\r\nFour', organizer: { name: 'Ann\r\nATTENDEE:x', email: 'a@b.test' } },
      at,
    );
    expect(ics).toContain('\r\nSUMMARY:One\\nTwo\\nThree\\nFour\r\n');
    expect(unfold(ics).filter((l) => l.startsWith('ATTENDEE'))).toEqual([]);
    expect(unfold(ics)).toContain('ORGANIZER;CN="AnnATTENDEE:x":mailto:a@b.test');
  });
});

describe('the value writers', () => {
  it('escapes TEXT: backslash, semicolon, comma and line breaks', () => {
    expect(calendarText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('quotes parameter values and drops what a quoted-string cannot hold', () => {
    expect(calendarParam('Ann')).toBe('"Ann"');
    expect(calendarParam('a:b;c,d')).toBe('"a:b;c,d"');
    expect(calendarParam('say "hi"\t\u0007')).toBe('"say hi"');
  });

  it('folds at 75 octets between UTF-8 characters, never inside one', () => {
    const line = `SUMMARY:${'é'.repeat(60)}😀${'a'.repeat(10)}`;
    const folded = foldCalendarLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    for (const part of parts.slice(1)) expect(part.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldCalendarLine('SHORT:x')).toBe('SHORT:x');
  });
});

describe('organizerAddress', () => {
  it("gives the host's address only to those who may see emails, the contact address to everyone else", () => {
    const facts = { hostEmail: 'ann@example.com', contactEmail: 'noreply@convene.test' };
    expect(organizerAddress({ ...facts, maySeeEmails: true })).toBe('ann@example.com');
    expect(organizerAddress({ ...facts, maySeeEmails: false })).toBe('noreply@convene.test');
    expect(organizerAddress({ ...facts, hostEmail: '', maySeeEmails: true })).toBe('noreply@convene.test');
  });

  it('defaults the contact address to noreply at the public host', () => {
    expect(defaultContactEmail('https://events.example.org:8443/app')).toBe('noreply@events.example.org');
  });
});
