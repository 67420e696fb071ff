import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from './create-verifier.ts';

// The key set is fetched over a keep-alive connection (global fetch). A connection auth closed
// under it is not auth being down: the fetch is made once more before answering 503.

let server: Server;
let jwksUrl: string;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
const served: string[] = [];

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  privateKey = pair.privateKey;
  const body = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' }],
  });
  const requestsOn = new WeakMap<object, number>();
  // Answers a connection's first request; drops the connection, unanswered, on any later one.
  server = createServer((req, res) => {
    const count = (requestsOn.get(req.socket) ?? 0) + 1;
    requestsOn.set(req.socket, count);
    if (count > 1) {
      served.push('dropped');
      return void req.socket.destroy();
    }
    served.push('answered');
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const token = () =>
  new SignJWT({ username: 'ada', email: 'ada@example.com', name: 'Ada', role: 'user' })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'at+jwt' })
    .setIssuer('convene-auth')
    .setAudience('convene')
    .setSubject('u1')
    .setExpirationTime('5m')
    .sign(privateKey);

describe('createVerifier with a remote key set', () => {
  it('fetches the key set again on a new connection when the pooled one was dropped', async () => {
    // No caching: every verification fetches the key set, on the same keep-alive connection.
    const verifier = createVerifier({
      jwksUrl,
      issuer: 'convene-auth',
      audience: 'convene',
      jwksCacheMaxAgeMs: 0,
      jwksCooldownMs: 0,
    });
    expect((await verifier.verify(await token())).id).toBe('u1');
    expect((await verifier.verify(await token())).id).toBe('u1');
    expect(served).toEqual(['answered', 'dropped', 'answered']);
  });
});
