import { describe, expect, it } from 'vitest';
import { locationTerms, queryTerms, searchTerms } from './search-terms.ts';

describe('search terms', () => {
  it('stores every prefix of title and location words and whole description words', () => {
    const terms = searchTerms({ title: 'Café Python', location: 'NYC', description: 'Hands-on workshop' });
    expect(terms).toEqual(
      expect.arrayContaining([
        'c',
        'ca',
        'caf',
        'cafe',
        'p',
        'pyth',
        'python',
        'n',
        'ny',
        'nyc',
        'hands',
        'on',
        'workshop',
      ]),
    );
    expect(terms).not.toContain('work');
  });

  it('matches queries word by word, case and accent insensitive', () => {
    expect(queryTerms('CAFÉ  py')).toEqual(['cafe', 'py']);
    expect(locationTerms('San Francisco, CA')).toEqual(expect.arrayContaining(['san', 'fran', 'ca']));
  });
});
