/**
 * Search without scanning: an event stores the words of its title and location with every prefix,
 * and the whole words of its description, in a multikey-indexed array. A search for
 * "pyth conf" then matches events holding both "pyth" and "conf" — an index lookup per word.
 * (Prefix, not infix, matching: "thon" does not find "Python". Documented in docs/events.md.)
 */

const maxWord = 24;
const maxDescriptionWords = 300;

export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((word) => word.slice(0, maxWord));
}

function prefixes(word: string): string[] {
  const out: string[] = [];
  for (let n = 1; n <= word.length; n++) out.push(word.slice(0, n));
  return out;
}

/** Terms stored on an event for `search` (title, location, description). */
export function searchTerms(fields: { title: string; location: string; description: string }): string[] {
  const terms = new Set<string>();
  for (const word of [...words(fields.title), ...words(fields.location)]) for (const p of prefixes(word)) terms.add(p);
  for (const word of words(fields.description).slice(0, maxDescriptionWords)) terms.add(word);
  return [...terms];
}

/** Terms stored for `location` (partial, case-insensitive match on each word). */
export function locationTerms(location: string): string[] {
  const terms = new Set<string>();
  for (const word of words(location)) for (const p of prefixes(word)) terms.add(p);
  return [...terms];
}

/** The terms a query must all match; empty when the query has no words. */
export function queryTerms(query: string): string[] {
  return [...new Set(words(query))];
}
