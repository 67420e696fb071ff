import { describe, expect, it } from 'vitest';
import { csvRow } from './csv.ts';

describe('csvRow', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvRow(['Ann', 'a@x.io', true, null])).toBe('Ann,a@x.io,true,\r\n');
    expect(csvRow(['Doe, "J"', 'line\nbreak'])).toBe('"Doe, ""J""","line\nbreak"\r\n');
    expect(csvRow(['=HYPERLINK("x")', '+1', '-2', '@a'])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@a\r\n`);
  });
});
