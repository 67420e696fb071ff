import { checkDomainBoundary } from '@convene/testing';
import { describe, expect, it } from 'vitest';

/** Domain rules stay free of I/O: only other domain modules and pure node built-ins. */
describe('domain boundaries', () => {
  it('imports nothing but other domain modules and node built-ins', () => {
    const report = checkDomainBoundary(new URL('.', import.meta.url), {
      allowed: (spec) => spec.startsWith('./') || spec.startsWith('node:'),
    });
    expect(report.files.length).toBeGreaterThanOrEqual(4);
    expect(report.offenders).toEqual([]);
  });
});
