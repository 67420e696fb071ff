import { describe, expect, it } from 'vitest';
import { hashToken, looksLikeSecretToken, newSecretToken, sameHash } from './secret-token.ts';

describe('secret tokens', () => {
  it('are 256-bit URL-safe strings, never repeated', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newSecretToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(looksLikeSecretToken(token)).toBe(true);
    expect(Buffer.from([...tokens][0] as string, 'base64url')).toHaveLength(32);
  });

  it('are stored as a hash that does not contain them', () => {
    const token = newSecretToken();
    const hash = hashToken(token);
    expect(hash).not.toContain(token);
    expect(hashToken(token)).toBe(hash);
    expect(sameHash(hash, hashToken(token))).toBe(true);
    expect(sameHash(hash, hashToken(newSecretToken()))).toBe(false);
  });

  it('recognises what cannot be one of ours before any lookup', () => {
    expect(looksLikeSecretToken('short')).toBe(false);
    expect(looksLikeSecretToken(`${'a'.repeat(42)}!`)).toBe(false);
  });
});
