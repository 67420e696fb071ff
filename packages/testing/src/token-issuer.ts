import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A person a test signs in as (the claims auth puts into an access token). */
export interface TestUser {
  id: string;
  username: string;
  email: string;
  /** Display name. */
  name: string;
  role?: 'user' | 'admin';
}

let users = 0;

/** A distinct user per call, unique across test processes: `testUser('ann')` → ann-<pid>-<time>-<n>. */
export function testUser(name = 'user', overrides: Partial<TestUser> = {}): TestUser {
  users += 1;
  const id = `${name}-${process.pid}-${Date.now().toString(36)}-${users}`;
  return { id, username: id, email: `${id}@example.com`, name: `${name} ${users}`, ...overrides };
}

/** The claims of an access token and the ways a test makes a bad one. */
export interface TokenOptions {
  /** Fills sub, username, email, name and role; the fields below win over it. */
  user?: TestUser;
  sub?: string;
  username?: string;
  email?: string;
  name?: string;
  role?: string;
  /** Lifetime from the issuer's clock; default 15 minutes (auth's ACCESS_TOKEN_TTL default). */
  expiresInMs?: number;
  /** Expired a minute ago (issued 16 minutes ago). */
  expired?: boolean;
  /** `iss`; default the issuer's (a different one makes a wrong-issuer token). */
  issuer?: string;
  /** `aud`; default the issuer's (a different one makes a wrong-audience token). */
  audience?: string;
  /** Signed with a key the JWKS does not hold, under the published kid: the signature check fails. */
  wrongKey?: boolean;
  /** The header's kid; default the published one (another one names a key nobody publishes). */
  kid?: string;
  /** More claims, added as they are. */
  claims?: Record<string, unknown>;
}

export interface TestIssuer {
  /** The JWKS document's address, for AUTH_JWKS_URL. */
  jwksUrl: string;
  /** For AUTH_ISSUER (default `convene-auth`, as auth's). */
  issuer: string;
  /** For AUTH_AUDIENCE (default `convene`). */
  audience: string;
  /** The kid of the key the JWKS publishes now. */
  readonly kid: string;
  /** How many times the JWKS document was asked for (GET or HEAD). */
  readonly jwksRequests: number;
  /** An access token signed as auth signs them: header alg EdDSA, typ at+jwt, kid; docs/platform-api.md's claims. */
  token(options?: TokenOptions): string;
  /** `token({ ...options, user })`. */
  tokenFor(user: TestUser, options?: Omit<TokenOptions, 'user'>): string;
  /** A new key (and kid) replaces the published one: tokens signed before no longer verify. */
  rotate(): void;
  close(): Promise<void>;
}

const MINUTE = 60_000;
const b64url = (value: object | Buffer) =>
  (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `test-${randomUUID().slice(0, 8)}`;
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' } };
}

/**
 * Stands in for auth: an Ed25519 key pair, its JWKS served on 127.0.0.1 at /.well-known/jwks.json,
 * and access tokens with the platform's claims. A service under test fetches and verifies them
 * exactly as it would auth's. `now` is the clock `iat`/`exp` are counted from (a TestClock's `now`).
 */
export async function startTestIssuer({
  issuer = 'convene-auth',
  audience = 'convene',
  now = () => new Date(),
}: {
  issuer?: string;
  audience?: string;
  now?: () => Date;
} = {}): Promise<TestIssuer> {
  let current = newKey();
  // Signs the "wrong key" variant: never published.
  const stranger = newKey();
  let jwksRequests = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [current.jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const token = (options: TokenOptions = {}): string => {
    const { user, expired = false, wrongKey = false, expiresInMs = 15 * MINUTE } = options;
    const iat = Math.floor((now().getTime() - (expired ? 16 * MINUTE : 0)) / 1000);
    const exp = expired ? iat + 15 * 60 : iat + Math.ceil(expiresInMs / 1000);
    const header = { alg: 'EdDSA', typ: 'at+jwt', kid: options.kid ?? current.kid };
    const payload = {
      sub: options.sub ?? user?.id ?? 'user-1',
      username: options.username ?? user?.username ?? 'alice',
      email: options.email ?? user?.email ?? `${options.username ?? user?.username ?? 'alice'}@example.com`,
      name: options.name ?? user?.name ?? options.username ?? user?.username ?? 'alice',
      role: options.role ?? user?.role ?? 'user',
      iss: options.issuer ?? issuer,
      aud: options.audience ?? audience,
      jti: randomUUID(),
      iat,
      exp,
      ...options.claims,
    };
    const signingInput = `${b64url(header)}.${b64url(payload)}`;
    const signature = sign(null, Buffer.from(signingInput), (wrongKey ? stranger : current).privateKey);
    return `${signingInput}.${b64url(signature)}`;
  };

  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    get kid() {
      return current.kid;
    },
    get jwksRequests() {
      return jwksRequests;
    },
    token,
    tokenFor: (user, options = {}) => token({ ...options, user }),
    rotate() {
      current = newKey();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
