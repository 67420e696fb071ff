// Stands in for auth in the benchmarks: an Ed25519 key, its JWKS on 127.0.0.1, and access tokens
// with the platform's claims (issuer convene-auth, audience convene), one user per index.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface Issuer {
  jwksUrl: string;
  /** An access token of user `bench-user-<i>` (role user), valid for two hours. */
  mint(i: number): Promise<string>;
  close(): void;
}

export async function startIssuer(): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = 'bench';
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const mint = (i: number) =>
    new SignJWT({ username: `u${i}`, email: `u${i}@bench.test`, name: `User ${i}`, role: 'user' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
      .setSubject(`bench-user-${i}`)
      .setIssuer('convene-auth')
      .setAudience('convene')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey);
  return { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, mint, close: () => server.close() };
}
