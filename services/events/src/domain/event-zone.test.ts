import { describe, expect, it } from 'vitest';
import { eventTimeZone, eventZoneName, unknownTimeZoneMessage } from './event-zone.ts';

describe('eventZoneName', () => {
  it('keeps IANA names the runtime knows, canonically cased', () => {
    expect(eventZoneName('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(eventZoneName('america/new_york')).toBe('America/New_York');
    expect(eventZoneName('UTC')).toBe('UTC');
  });

  it('refuses unknown names and fixed offsets (which have no daylight-saving rules)', () => {
    for (const zone of ['Mars/Base', '', '+02:00', '-11:00', '\u221205:00', 'x'.repeat(80)]) {
      expect(eventZoneName(zone)).toBeNull();
      expect(unknownTimeZoneMessage(zone)).toBe(
        `Unknown time zone ${JSON.stringify(zone)}; give an IANA name like Europe/Kyiv.`,
      );
    }
    expect(unknownTimeZoneMessage('Europe/Kyiv')).toBeNull();
  });
});

describe('eventTimeZone', () => {
  it("is the event's own zone, or the default for one stored without", () => {
    expect(eventTimeZone({ timezone: 'Asia/Tokyo' }, 'UTC')).toBe('Asia/Tokyo');
    expect(eventTimeZone({}, 'Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(eventTimeZone({ timezone: null }, 'Europe/Kyiv')).toBe('Europe/Kyiv');
  });
});
