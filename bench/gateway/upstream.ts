// The service stand-in of the gateway benchmark: one Hono app answering GET /api/events/:id with a
// small JSON body (as in ARCHITECTURE.md's performance notes), plus the JWKS its tokens verify
// against. Runs in its own process; tells the parent its port and a valid access token over IPC.
import { createRequire } from 'node:module';

// bench/package.json only carries autocannon; hono and jose come from the gateway's own
// dependencies, so the benchmark measures exactly the versions the gateway ships with.
const fromGateway = createRequire(new URL('../../services/gateway/package.json', import.meta.url));
const load = <T>(name: string): Promise<T> => import(fromGateway.resolve(name));
const { Hono } = await load<typeof import('hono')>('hono');
const { serve } = await load<typeof import('@hono/node-server')>('@hono/node-server');
const jose = await load<typeof import('jose')>('jose');

const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519' });
const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
const token = await new jose.SignJWT({ username: 'bench', email: 'bench@example.test', name: 'Bench', role: 'user' })
  .setProtectedHeader({ alg: 'EdDSA', kid: 'bench', typ: 'at+jwt' })
  .setIssuer('convene-auth')
  .setAudience('convene')
  .setSubject('bench-user')
  .setJti('bench')
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(privateKey);

const app = new Hono();
app.get('/.well-known/jwks.json', (c) => c.json({ keys: [jwk] }));
app.get('/api/events/mine', (c) => c.json({ count: 0, next: null, previous: null, results: [] }));
app.get('/api/events/:id', (c) =>
  c.json({
    id: c.req.param('id'),
    title: 'Rust meetup',
    start_time: '2030-01-01T18:00:00Z',
    max_participants: 40,
    available_spots: 12,
  }),
);

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.send?.({ port: info.port, token });
});
