import { describe, expect, it } from 'vitest';
import {
  calendarParam,
  calendarText,
  defaultContactEmail,
  foldCalendarLine,
  organizerAddress,
  renderCalendar,
  utcOffsetText,
  zoneTransitions,
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

/**
 * A calendar read back as a client would: every physical line ends in CRLF, no bare CR or LF, no
 * physical line over 75 octets, continuation lines start with a space; then unfolded into content
 * lines and nested components.
 */
interface Component {
  name: string;
  props: ReturnType<typeof parseLine>[];
  children: Component[];
}
function parseCalendar(ics: string): Component {
  expect(ics.endsWith('\r\n')).toBe(true);
  const physical = ics.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  }
  const root: Component = { name: '', props: [], children: [] };
  const stack = [root];
  for (const line of unfold(ics).filter((l) => l !== '')) {
    const prop = parseLine(line);
    const top = stack[stack.length - 1]!;
    if (prop.name === 'BEGIN') {
      const child: Component = { name: prop.value, props: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (prop.name === 'END') {
      expect(top.name).toBe(prop.value);
      stack.pop();
    } else {
      top.props.push(prop);
    }
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}
const prop = (c: Component, name: string) => c.props.find((p) => p.name === name);

describe('renderCalendar in the event’s zone', () => {
  // Europe/Kyiv: EET (+02:00) in winter, EEST (+03:00) from the last Sunday of March 03:00 local
  // (01:00 UTC) to the last Sunday of October 04:00 local (01:00 UTC).
  const observances = (cal: Component) =>
    cal.children
      .find((c) => c.name === 'VTIMEZONE')!
      .children.map((o) => ({
        kind: o.name,
        start: prop(o, 'DTSTART')!.value,
        from: prop(o, 'TZOFFSETFROM')!.value,
        to: prop(o, 'TZOFFSETTO')!.value,
        name: prop(o, 'TZNAME')!.value,
      }));

  it('writes a Kyiv event on the day DST starts in its wall time, with TZID and the VTIMEZONE that defines it', () => {
    // 00:30 UTC is 02:30 EET, before the change; 02:00 UTC is 05:00 EEST, after it.
    const ics = renderCalendar(
      {
        ...base,
        title: `Compilers & Coffee, a long title that has to fold ${'é'.repeat(30)}`,
        start: new Date('2026-03-29T00:30:00Z'),
        end: new Date('2026-03-29T02:00:00Z'),
        timezone: 'Europe/Kyiv',
      },
      at,
    );
    const cal = parseCalendar(ics);
    expect(cal.name).toBe('VCALENDAR');
    const zone = cal.children.find((c) => c.name === 'VTIMEZONE')!;
    expect(prop(zone, 'TZID')!.value).toBe('Europe/Kyiv');
    const event = cal.children.find((c) => c.name === 'VEVENT')!;
    expect(prop(event, 'DTSTART')).toEqual({
      name: 'DTSTART',
      params: { TZID: 'Europe/Kyiv' },
      value: '20260329T023000',
    });
    expect(prop(event, 'DTEND')).toEqual({ name: 'DTEND', params: { TZID: 'Europe/Kyiv' }, value: '20260329T050000' });
    expect(prop(event, 'SUMMARY')!.value).toBe(`Compilers & Coffee\\, a long title that has to fold ${'é'.repeat(30)}`);
    // Every TZID used has its VTIMEZONE (§3.2.19), and it comes before the event that uses it.
    expect(cal.children.map((c) => c.name)).toEqual(['VTIMEZONE', 'VEVENT']);
    const changes = observances(cal);
    expect(changes).toContainEqual({
      kind: 'DAYLIGHT',
      start: '20260329T030000',
      from: '+0200',
      to: '+0300',
      name: 'EEST',
    });
    expect(changes).toContainEqual({
      kind: 'STANDARD',
      start: '20261025T040000',
      from: '+0300',
      to: '+0200',
      name: 'EET',
    });
    // One observance per change in the year either side, nothing else.
    expect(changes.map((c) => c.start)).toEqual([
      '20250330T030000',
      '20251026T040000',
      '20260329T030000',
      '20261025T040000',
      '20270328T030000',
    ]);
  });

  it('writes a Kyiv event across the night DST ends: 03:30 EEST to the repeated 03:30 EET, the second in UTC', () => {
    const ics = renderCalendar(
      {
        ...base,
        start: new Date('2026-10-25T00:30:00Z'),
        end: new Date('2026-10-25T01:30:00Z'),
        timezone: 'Europe/Kyiv',
      },
      at,
    );
    const cal = parseCalendar(ics);
    const event = cal.children.find((c) => c.name === 'VEVENT')!;
    expect(prop(event, 'DTSTART')!.value).toBe('20261025T033000');
    // The end's wall time (03:30 EET) also happened an hour before (03:30 EEST), and a zoned time
    // names the first of the two: the end is written as its UTC instant instead.
    expect(prop(event, 'DTEND')!.value).toBe('20261025T013000Z');
    expect(unfold(ics)).toContain('DTEND:20261025T013000Z');
    expect(observances(cal)).toContainEqual({
      kind: 'STANDARD',
      start: '20261025T040000',
      from: '+0300',
      to: '+0200',
      name: 'EET',
    });
  });

  it('gives a zone without changes in the window one STANDARD observance', () => {
    const cal = parseCalendar(
      renderCalendar(
        {
          ...base,
          start: new Date('2026-12-10T13:53:00Z'),
          end: new Date('2026-12-10T15:00:00Z'),
          timezone: 'Asia/Kolkata',
        },
        at,
      ),
    );
    expect(observances(cal)).toEqual([
      { kind: 'STANDARD', start: '20251210T192300', from: '+0530', to: '+0530', name: expect.any(String) },
    ]);
    expect(prop(cal.children.find((c) => c.name === 'VEVENT')!, 'DTSTART')!.value).toBe('20261210T192300');
  });

  it('keeps UTC events (and unknown zones, and fixed offsets) in UTC instants without a VTIMEZONE', () => {
    for (const timezone of [undefined, 'UTC', 'Mars/Base', '+02:00']) {
      const ics = renderCalendar({ ...base, ...(timezone ? { timezone } : {}) }, at);
      expect(ics).toContain('\r\nDTSTART:20300615T090000Z\r\nDTEND:20300615T113000Z\r\n');
      expect(ics).not.toContain('VTIMEZONE');
      expect(ics).not.toContain('TZID');
    }
  });
});

describe('zoneTransitions', () => {
  it('finds each offset change to its minute', () => {
    expect(zoneTransitions('Europe/Kyiv', new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual([
      { at: new Date('2026-03-29T01:00:00Z'), from: 120, to: 180 },
      { at: new Date('2026-10-25T01:00:00Z'), from: 180, to: 120 },
    ]);
    // Southern hemisphere, a half-hour zone: Adelaide +10:30 → +09:30 on the first Sunday of April 03:00 local.
    expect(
      zoneTransitions('Australia/Adelaide', new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z')),
    ).toEqual([{ at: new Date('2026-04-04T16:30:00Z'), from: 630, to: 570 }]);
    expect(zoneTransitions('UTC', new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('writes offsets as ±hhmm', () => {
    expect(utcOffsetText(120)).toBe('+0200');
    expect(utcOffsetText(-660)).toBe('-1100');
    expect(utcOffsetText(345)).toBe('+0545');
    expect(utcOffsetText(0)).toBe('+0000');
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
