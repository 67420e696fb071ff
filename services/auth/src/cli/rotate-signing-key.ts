/**
 * A signing-key rotation now, outside the schedule (a suspected leak, a policy): adds a new
 * access-token signing key. It is published in the JWKS at once and signs from
 * --activate-in seconds on (default SIGNING_KEY_PREPUBLISH_MS), so verifiers learn it first.
 * Older keys stay published until the tokens they signed have expired; nobody is logged out.
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/auth node services/auth/src/cli/rotate-signing-key.ts
 */
import { connectMongo, ensureIndexes, parseEnv } from '@convene/kit';
import { runCommand, UsageError } from '@convene/kit/cli';
import { KeyRing } from '../credentials/key-ring.ts';
import { CliEnv } from '../env.ts';
import { signingKeyStore } from '../store/signing-keys.ts';

const USAGE = `Usage: node services/auth/src/cli/rotate-signing-key.ts [--activate-in SECONDS]

Adds a new access-token signing key to auth's database. It is published in the JWKS at once and
signs from --activate-in seconds on (default SIGNING_KEY_PREPUBLISH_MS), so every verifier knows
it before the first token it signs. Older keys stay published until the tokens they signed have
expired: nobody is logged out.

Environment: MONGO_URL (auth's database), SIGNING_KEY_SECRET (the secret the keys are sealed with,
as the service has it), ACCESS_TOKEN_TTL_MS, SIGNING_KEY_REFRESH_MS, CLOCK_TOLERANCE_MS.`;

runCommand(
  { name: 'rotate-signing-key', usage: USAGE, options: { 'activate-in': { type: 'string' } } },
  async ({ values }) => {
    const activateInSec = values['activate-in'] === undefined ? undefined : Number(values['activate-in']);
    if (activateInSec !== undefined && (!Number.isInteger(activateInSec) || activateInSec < 0)) {
      throw new UsageError('--activate-in takes whole seconds');
    }
    const env = parseEnv(CliEnv);
    const mongo = await connectMongo(env.MONGO_URL);
    try {
      const store = signingKeyStore(mongo);
      await ensureIndexes([store.model]);
      const ring = new KeyRing({
        store,
        secret: env.SIGNING_KEY_SECRET,
        window: {
          accessTokenTtlMs: env.ACCESS_TOKEN_TTL_MS,
          graceMs: env.SIGNING_KEY_REFRESH_MS + env.CLOCK_TOLERANCE_MS + 60_000,
        },
        // A command-line process: real time.
        now: () => new Date(),
      });
      const activateInMs = activateInSec === undefined ? env.SIGNING_KEY_PREPUBLISH_MS : activateInSec * 1000;
      const { kid, activates_at } = await ring.rotate({ activateInMs });
      process.stdout.write(`new signing key ${kid}, signing from ${activates_at.toISOString()}\n`);
    } finally {
      await mongo.close();
    }
  },
);
