import { checkDomainBoundary } from '@convene/testing';
import { describe, expect, it } from 'vitest';

/** Domain rules stay free of I/O: no HTTP, database, broker or platform runtime imports. */
describe('domain boundaries', () => {
  it('imports nothing but other domain modules and node built-ins that do no I/O', () => {
    const { files, offenders } = checkDomainBoundary(new URL('.', import.meta.url), {
      allowed: (specifier) => specifier.startsWith('./') || specifier.startsWith('node:'),
    });
    expect(files).toEqual(expect.arrayContaining(['invitation-rules.ts', 'tokens.ts', 'csv-row.ts', 'permissions.ts']));
    expect(offenders).toEqual([]);
  });
});
