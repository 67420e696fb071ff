/**
 * Creates the first platform admin (or promotes an existing account with --promote).
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/auth pnpm convene users:create-admin --email admin@example.com
 *   (the same as: node services/auth/src/cli/create-admin.ts --email ... [--username ...])
 *
 * The password comes from CONVENE_ADMIN_PASSWORD (or ADMIN_PASSWORD) or, when unset, is asked for
 * twice on the terminal.
 * Nothing is hard-coded; the password must pass the same policy as everyone's. The account's
 * user.registered event waits in its outbox until a running auth service relays it.
 */
import { parseArgs } from 'node:util';
import { connectMongo, ensureIndexes, parseEnv } from '@convene/kit';
import { passwordHasher } from '../credentials/password-hasher.ts';
import { CliEnv } from '../env.ts';
import { AdminSetupError } from '../errors.ts';
import { createAdmin } from '../flows/create-admin.ts';
import { userStore } from '../store/users.ts';
import { promptHidden } from './prompt-password.ts';

const USAGE =
  'usage: create-admin --email <email> [--username <name>] [--first-name <name>] [--last-name <name>] [--promote]\n' +
  '       password from CONVENE_ADMIN_PASSWORD (or ADMIN_PASSWORD), otherwise prompted';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      promote: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help || !values.email) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const env = parseEnv(CliEnv);
  const password = env.CONVENE_ADMIN_PASSWORD ?? env.ADMIN_PASSWORD ?? (await askPassword());

  const mongo = await connectMongo(env.MONGO_URL);
  try {
    const users = userStore(mongo);
    await ensureIndexes([users.model]);
    const outcome = await createAdmin(
      {
        users,
        passwords: passwordHasher({
          memoryCost: env.ARGON2_MEMORY_KIB,
          timeCost: env.ARGON2_TIME_COST,
          parallelism: env.ARGON2_PARALLELISM,
        }),
        policy: { passwordPolicy: { minLength: env.PASSWORD_MIN_LENGTH, maxLength: 128 } },
        // A command-line process: real time; no relay here (a running auth publishes the outbox).
        now: () => new Date(),
      },
      {
        email: values.email,
        username: values.username ?? values.email.split('@')[0] ?? values.email,
        password,
        first_name: values['first-name'],
        last_name: values['last-name'],
        promote: values.promote,
      },
    );
    const said = { created: 'created admin', promoted: 'promoted to admin', exists: 'already an admin' }[outcome.kind];
    process.stdout.write(`${said}: ${values.email} (id ${outcome.id})\n`);
    return 0;
  } finally {
    await mongo.close();
  }
}

async function askPassword(): Promise<string> {
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Password (again): ');
  if (first !== second) throw new AdminSetupError("the passwords didn't match");
  return first;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    const message =
      err instanceof AdminSetupError || err?.name === 'ConfigError' ? err.message : String(err?.stack ?? err);
    process.stderr.write(`create-admin: ${message}\n`);
    process.exit(1);
  },
);
