import { canonicalTimeZone } from '@convene/domain-kit';

/** How a person likes times shown to them; null leaves it to the event (its zone, the default locale). */
export interface ProfilePreferences {
  timezone: string | null;
  locale: string | null;
}

/** The contracts' bounds (UserSnapshot): no IANA name is longer than 64, no usable BCP 47 tag than 35. */
export const TIMEZONE_MAX_LENGTH = 64;
export const LOCALE_MAX_LENGTH = 35;

export const UNKNOWN_TIMEZONE = 'Unknown time zone; use an IANA name such as "Europe/Kyiv".';
export const INVALID_LOCALE = 'Not a valid language tag; use a BCP 47 tag such as "en-GB".';

/** The tag's canonical form (`EN-gb` → `en-GB`), or null when it is not a well-formed BCP 47 tag. */
export function canonicalLocale(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical && canonical.length <= LOCALE_MAX_LENGTH ? canonical : null;
  } catch {
    return null;
  }
}

export type PreferencesPatch = Partial<Record<keyof ProfilePreferences, string | null>>;

/**
 * The given preferences in the form to store (null clears one; an absent one stays as it is),
 * or the message for each that names no real zone or language.
 */
export function readPreferences(patch: PreferencesPatch): {
  values: Partial<ProfilePreferences>;
  problems: Partial<Record<keyof ProfilePreferences, string>>;
} {
  const values: Partial<ProfilePreferences> = {};
  const problems: Partial<Record<keyof ProfilePreferences, string>> = {};
  if (patch.timezone !== undefined) {
    const zone = patch.timezone === null ? null : canonicalTimeZone(patch.timezone);
    if (patch.timezone !== null && zone === null) problems.timezone = UNKNOWN_TIMEZONE;
    else values.timezone = zone;
  }
  if (patch.locale !== undefined) {
    const locale = patch.locale === null ? null : canonicalLocale(patch.locale);
    if (patch.locale !== null && locale === null) problems.locale = INVALID_LOCALE;
    else values.locale = locale;
  }
  return { values, problems };
}
