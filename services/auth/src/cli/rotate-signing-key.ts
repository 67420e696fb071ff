/**
 * Adds a new access-token signing key. It is published in the JWKS at once and signs from
 * --activate-in seconds on (default SIGNING_KEY_PREPUBLISH_SEC), so verifiers learn it first.
 * Older keys stay published until the tokens they signed have expired; nobody is logged out.
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/auth node services/auth/src/cli/rotate-signing-key.ts
 */
import { parseArgs } from 'node:util';
import { connectMongo, ensureIndexes, parseEnv } from '@convene/kit';
import { KeyRing } from '../credentials/key-ring.ts';
import { CliEnv } from '../env.ts';
import { signingKeyStore } from '../store/signing-keys.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'activate-in': { type: 'string' } }, strict: true });
  const env = parseEnv(CliEnv);
  const activateInSec =
    values['activate-in'] === undefined ? env.SIGNING_KEY_PREPUBLISH_SEC : Number(values['activate-in']);
  if (!Number.isInteger(activateInSec) || activateInSec < 0) throw new Error('--activate-in takes whole seconds');
  const mongo = await connectMongo(env.MONGO_URL);
  try {
    const store = signingKeyStore(mongo);
    await ensureIndexes([store.model]);
    const ring = new KeyRing({
      store,
      secret: env.SIGNING_KEY_SECRET,
      window: {
        accessTokenTtlSec: env.ACCESS_TOKEN_TTL_SEC,
        graceSec: env.SIGNING_KEY_REFRESH_SEC + env.CLOCK_TOLERANCE_SEC + 60,
      },
    });
    const { kid, activates_at } = await ring.rotate({ activateInSec });
    process.stdout.write(`new signing key ${kid}, signing from ${activates_at.toISOString()}\n`);
  } finally {
    await mongo.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`rotate-signing-key: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
