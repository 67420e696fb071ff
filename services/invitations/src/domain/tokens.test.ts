import { describe, expect, it } from 'vitest';
import { parseImportRow } from './csv-row.ts';
import { canManage } from './permissions.ts';
import { hashToken, looksLikeToken, newToken } from './tokens.ts';

describe('tokens', () => {
  it('are 256 random bits, URL-safe, distinct, and hashed to 64 hex digits', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(looksLikeToken(token)).toBe(true);
    const [one] = tokens;
    expect(Buffer.from(one!, 'base64url')).toHaveLength(32);
    expect(hashToken(one!)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(one!)).toBe(hashToken(one!));
    expect(looksLikeToken('f76c8706-edb0-440b-80a6-bf3ae649b578')).toBe(false);
  });
});

describe('import rows', () => {
  it('normalises a good row and names every problem of a bad one', () => {
    expect(parseImportRow({ email: ' Ann@Example.COM ', full_name: ' Ann ', role: 'Viewer' })).toEqual({
      ok: true,
      row: { email: 'ann@example.com', full_name: 'Ann', role: 'attendee' },
    });
    expect(parseImportRow({ email: 'x', full_name: 'y'.repeat(201), role: 'king' })).toEqual({
      ok: false,
      errors: {
        email: ['Enter a valid email address.'],
        full_name: ['Ensure this field has no more than 200 characters.'],
        role: ['"king" is not a valid role (attendee, cohost, viewer, contributor, custodian).'],
      },
    });
  });
});

describe('permissions', () => {
  it('lets the host and co-hosts (by id or by email key) manage, no one else', () => {
    const event = { host_id: 'h', cohost_ids: ['c', 'email:guest@example.com'] };
    expect(canManage(event, { id: 'h', email: 'h@example.com' })).toBe(true);
    expect(canManage(event, { id: 'c', email: 'c@example.com' })).toBe(true);
    expect(canManage(event, { id: 'g', email: 'Guest@Example.com' })).toBe(true);
    expect(canManage(event, { id: 'x', email: 'x@example.com' })).toBe(false);
  });
});
