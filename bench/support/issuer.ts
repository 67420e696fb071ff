// Stands in for auth in the benchmarks: @convene/testing's test issuer (an Ed25519 key, its JWKS on
// 127.0.0.1, tokens with the platform's claims), one user per index.
import { startTestIssuer } from '@convene/testing';

export interface Issuer {
  jwksUrl: string;
  /** An access token of user `bench-user-<i>` (role user), valid for two hours. */
  mint(i: number): Promise<string>;
  close(): void;
}

export async function startIssuer(): Promise<Issuer> {
  const issuer = await startTestIssuer();
  return {
    jwksUrl: issuer.jwksUrl,
    mint: async (i) =>
      issuer.token({
        sub: `bench-user-${i}`,
        username: `u${i}`,
        email: `u${i}@bench.test`,
        name: `User ${i}`,
        role: 'user',
        expiresInMs: 2 * 3_600_000,
      }),
    close: () => void issuer.close(),
  };
}
