import { describe, expect, it } from 'vitest';
import { instantForReader, spanForReader } from './times.ts';

const berlin = { timezone: 'Europe/Berlin', locale: null };

describe('times for a reader', () => {
  it('an instant on another day for the reader names their day', () => {
    expect(instantForReader('2026-03-28T22:00:00.000Z', 'Europe/Kyiv', berlin)).toBe(
      'Sun, 29 Mar 2026, 00:00 Kyiv time (Sat 28 Mar, 23:00 yours)',
    );
    expect(instantForReader('2026-12-10T17:23:00.000Z', 'Europe/Kyiv', berlin)).toBe(
      'Thu, 10 Dec 2026, 19:23 Kyiv time (18:23 yours)',
    );
  });

  it('a span across local days names both ends in full', () => {
    expect(spanForReader('2026-10-31T21:00:00.000Z', '2026-10-31T23:00:00.000Z', 'Europe/Kyiv', undefined)).toBe(
      'Sat, 31 Oct 2026, 23:00 EET – Sun, 1 Nov 2026, 01:00 EET',
    );
    expect(spanForReader('2026-10-31T21:00:00.000Z', '2026-10-31T23:00:00.000Z', 'Europe/Kyiv', berlin)).toBe(
      'Sat, 31 Oct 2026, 23:00 Kyiv time (22:00 yours) – Sun, 1 Nov 2026, 01:00 Kyiv time (00:00 yours)',
    );
  });

  it('a zone this runtime does not know reads as UTC; a reader zone it does not know is left out', () => {
    expect(instantForReader('2026-12-10T17:23:00.000Z', 'Mars/Olympus', undefined)).toBe('Thu, 10 Dec 2026, 17:23 UTC');
    expect(
      instantForReader('2026-12-10T17:23:00.000Z', 'Europe/Kyiv', { timezone: 'Mars/Olympus', locale: null }),
    ).toBe('Thu, 10 Dec 2026, 19:23 EET');
  });
});
