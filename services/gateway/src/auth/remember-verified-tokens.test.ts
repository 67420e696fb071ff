import { AppError, type AuthUser, type Verifier } from '@convene/kit';
import { describe, expect, it } from 'vitest';
import { rememberVerifiedTokens } from './remember-verified-tokens.ts';

const user: AuthUser = { id: 'u1', username: 'a', email: 'a@x.test', name: 'A', role: 'user' };
const tokenExpiringAt = (expSec: number, tag = 'x') =>
  `h.${Buffer.from(JSON.stringify({ sub: 'u1', exp: expSec, tag })).toString('base64url')}.sig`;

function countingVerifier(valid = true) {
  const calls: string[] = [];
  const verifier: Verifier = {
    async verify(token) {
      calls.push(token);
      if (!valid) throw new AppError(401, 'TOKEN_INVALID', 'Given token not valid.');
      return user;
    },
  };
  return { verifier, calls };
}

describe('rememberVerifiedTokens', () => {
  it('checks a token once, then trusts it for the TTL', async () => {
    let now = 1_000_000;
    const { verifier, calls } = countingVerifier();
    const remembering = rememberVerifiedTokens(verifier, { ttlMs: 30_000, now: () => now });
    const token = tokenExpiringAt(now / 1000 + 900);
    expect(await remembering.verify(token)).toEqual(user);
    expect(await remembering.verify(token)).toEqual(user);
    now += 29_000;
    await remembering.verify(token);
    expect(calls).toHaveLength(1);
    now += 2_000;
    await remembering.verify(token);
    expect(calls).toHaveLength(2);
  });

  it('never trusts a token past its own expiry', async () => {
    let now = 1_000_000;
    const { verifier, calls } = countingVerifier();
    const remembering = rememberVerifiedTokens(verifier, { ttlMs: 30_000, now: () => now });
    const token = tokenExpiringAt(now / 1000 + 5);
    await remembering.verify(token);
    now += 6_000;
    await remembering.verify(token);
    expect(calls).toHaveLength(2);
  });

  it('does not remember refusals', async () => {
    const { verifier, calls } = countingVerifier(false);
    const remembering = rememberVerifiedTokens(verifier);
    const token = tokenExpiringAt(Date.now() / 1000 + 900);
    await expect(remembering.verify(token)).rejects.toMatchObject({ status: 401 });
    await expect(remembering.verify(token)).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2);
  });

  it('starts over rather than grow past maxEntries', async () => {
    const { verifier, calls } = countingVerifier();
    const remembering = rememberVerifiedTokens(verifier, { maxEntries: 2 });
    const exp = Date.now() / 1000 + 900;
    for (const tag of ['a', 'b', 'c', 'a']) await remembering.verify(tokenExpiringAt(exp, tag));
    expect(calls).toHaveLength(4);
  });
});
