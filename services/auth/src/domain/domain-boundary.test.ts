import { checkDomainBoundary } from '@convene/testing';
import { describe, expect, it } from 'vitest';

// STYLE.md: domain code does not import HTTP, mongoose or amqplib (nor the packages wrapping them).
describe('src/domain', () => {
  it('imports no I/O library', () => {
    const { files, offenders } = checkDomainBoundary(new URL('.', import.meta.url));
    expect(files).toEqual(expect.arrayContaining(['user.ts', 'password-policy.ts', 'secret-token.ts']));
    expect(offenders).toEqual([]);
  });
});
