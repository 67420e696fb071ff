import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  formatForReader,
  formatInstant,
  formatSpan,
  isTimeZone,
  zoneAbbreviation,
  zoneCity,
  zoneOffsetMinutes,
} from './time.ts';

describe('time zones', () => {
  it('knows the zones the runtime knows, canonical case, aliases as written', () => {
    expect(isTimeZone('Europe/Kyiv')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(canonicalTimeZone('europe/kyiv')).toBe('Europe/Kyiv');
    for (const offset of ['+02:00', '-11:00', '\u221205:00']) expect(canonicalTimeZone(offset)).toBeNull();
    expect(zoneCity('America/New_York')).toBe('New York');
  });

  it('formats in the event zone with its abbreviation', () => {
    const at = '2026-12-10T17:23:00.000Z';
    expect(formatInstant(at, 'Europe/Kyiv')).toBe('Thu, 10 Dec 2026, 19:23 EET');
    expect(formatInstant(at, 'UTC')).toBe('Thu, 10 Dec 2026, 17:23 UTC');
    expect(formatSpan(at, '2026-12-10T19:00:00.000Z', 'Europe/Kyiv')).toBe('Thu, 10 Dec 2026, 19:23 – 21:00 EET');
  });

  it('follows DST: Europe/Kyiv on the last Sundays of March and October 2026', () => {
    // 29 March 2026, 03:00 local (01:00 UTC) the clocks go to 04:00: EET → EEST.
    expect(formatInstant('2026-03-29T00:30:00Z', 'Europe/Kyiv')).toBe('Sun, 29 Mar 2026, 02:30 EET');
    expect(formatInstant('2026-03-29T01:30:00Z', 'Europe/Kyiv')).toBe('Sun, 29 Mar 2026, 04:30 EEST');
    expect(zoneOffsetMinutes('2026-03-29T00:30:00Z', 'Europe/Kyiv')).toBe(120);
    expect(zoneOffsetMinutes('2026-03-29T01:30:00Z', 'Europe/Kyiv')).toBe(180);
    // 25 October 2026, 04:00 local (01:00 UTC) the clocks go back to 03:00.
    expect(formatSpan('2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', 'Europe/Kyiv')).toBe(
      'Sun, 25 Oct 2026, 03:30 EEST – 03:30 EET',
    );
    expect(zoneAbbreviation('2026-10-25T01:30:00Z', 'Europe/Kyiv')).toBe('EET');
  });

  it('adds the reader’s own time when their zone differs', () => {
    const at = '2026-12-10T17:23:00.000Z';
    expect(formatForReader(at, 'Europe/Kyiv', 'Europe/Berlin')).toBe('Thu, 10 Dec 2026, 19:23 Kyiv time (18:23 yours)');
    expect(formatForReader(at, 'Europe/Kyiv', 'Europe/Kyiv')).toBe('Thu, 10 Dec 2026, 19:23 EET');
    expect(formatForReader(at, 'Europe/Kyiv', null)).toBe('Thu, 10 Dec 2026, 19:23 EET');
    expect(formatForReader(at, 'Europe/Kyiv', 'Not/AZone')).toBe('Thu, 10 Dec 2026, 19:23 EET');
  });
});
