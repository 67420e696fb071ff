import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  name: string;
}

export interface TestIssuer {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** An access token for `user`, signed like auth signs them (EdDSA, typ at+jwt, kid). */
  mint(user: TestUser): string;
  close(): Promise<void>;
}

const b64 = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

/**
 * Stands in for auth: an Ed25519 key, its JWKS on 127.0.0.1, tokens with the platform's claims.
 * The service fetches and verifies them exactly as it would auth's (node:crypto signs; no extra dependency).
 */
export async function startTestIssuer({ issuer = 'convene-auth', audience = 'convene' } = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    mint(user) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64({ alg: 'EdDSA', typ: 'at+jwt', kid });
      const payload = b64({
        sub: user.id,
        username: user.username,
        email: user.email,
        name: user.name,
        role: 'user',
        iss: issuer,
        aud: audience,
        jti: randomUUID(),
        iat: now,
        exp: now + 3600,
      });
      const signature = sign(null, Buffer.from(`${header}.${payload}`), key);
      return `${header}.${payload}.${b64(signature)}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let counter = 0;
export function testUser(name = 'user'): TestUser {
  counter++;
  const id = `${name}-${process.pid}-${Date.now().toString(36)}-${counter}`;
  return { id, username: id, email: `${id}@example.com`, name: `${name} ${counter}` };
}
