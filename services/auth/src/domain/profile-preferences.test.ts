import { describe, expect, it } from 'vitest';
import { canonicalLocale, INVALID_LOCALE, readPreferences, UNKNOWN_TIMEZONE } from './profile-preferences.ts';

describe('profile preferences', () => {
  it('keeps language tags in their canonical form and refuses malformed ones', () => {
    expect(canonicalLocale('EN-gb')).toBe('en-GB');
    expect(canonicalLocale('uk')).toBe('uk');
    expect(canonicalLocale('en_GB')).toBeNull();
    expect(canonicalLocale('')).toBeNull();
    expect(canonicalLocale('not a tag')).toBeNull();
  });

  it('stores real zones and tags canonically, null as a clear, and leaves absent ones alone', () => {
    expect(readPreferences({ timezone: 'europe/paris', locale: 'de-de' })).toEqual({
      values: { timezone: 'Europe/Paris', locale: 'de-DE' },
      problems: {},
    });
    expect(readPreferences({ timezone: null, locale: null })).toEqual({
      values: { timezone: null, locale: null },
      problems: {},
    });
    expect(readPreferences({})).toEqual({ values: {}, problems: {} });
  });

  it('names each preference that is not a real zone or tag', () => {
    expect(readPreferences({ timezone: 'Mars/Olympus_Mons', locale: 'en_GB' })).toEqual({
      values: {},
      problems: { timezone: UNKNOWN_TIMEZONE, locale: INVALID_LOCALE },
    });
    expect(readPreferences({ timezone: 'Europe/Kyiv', locale: '12' })).toEqual({
      values: { timezone: 'Europe/Kyiv' },
      problems: { locale: INVALID_LOCALE },
    });
  });
});
