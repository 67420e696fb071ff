/**
 * Creates the first platform admin (or promotes an existing account with --promote).
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/auth ./convene users:create-admin --email admin@example.com
 *   (the same as: node services/auth/src/cli/create-admin.ts --email ... [--username ...])
 *
 * The password comes from CONVENE_ADMIN_PASSWORD (or ADMIN_PASSWORD) or, when unset, is asked for
 * twice on the terminal.
 * Nothing is hard-coded; the password must pass the same policy as everyone's. The account's
 * user.registered event waits in its outbox until a running auth service relays it.
 */
import { connectMongo, ensureIndexes, parseEnv } from '@convene/kit';
import { CommandFailure, runCommand, UsageError } from '@convene/kit/cli';
import { passwordHasher } from '../credentials/password-hasher.ts';
import { CliEnv } from '../env.ts';
import { AdminSetupError } from '../errors.ts';
import { createAdmin } from '../flows/create-admin.ts';
import { userStore } from '../store/users.ts';
import { promptHidden } from './prompt-password.ts';

const USAGE = `Usage: ./convene users:create-admin --email EMAIL [--username NAME] [--first-name NAME]
                                 [--last-name NAME] [--promote]

Creates a platform admin with the email (username: the part before the @ unless given). An
account that is already an admin is left as it is; one that is not is refused unless --promote
makes it an admin. A password is never overwritten. The account's user.registered waits in its
outbox until a running auth service relays it.

The password comes from CONVENE_ADMIN_PASSWORD (or ADMIN_PASSWORD), otherwise it is asked for
twice on the terminal; it must pass the same policy as everyone's (PASSWORD_MIN_LENGTH).

Environment: MONGO_URL (auth's database), ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM.`;

const SAID = { created: 'created admin', promoted: 'promoted to admin', exists: 'already an admin' } as const;

runCommand(
  {
    name: 'users:create-admin',
    usage: USAGE,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      promote: { type: 'boolean', default: false },
    },
  },
  async ({ values }) => {
    const email = values.email;
    if (!email) throw new UsageError('--email is required');
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
          email,
          username: values.username ?? email.split('@')[0] ?? email,
          password,
          first_name: values['first-name'],
          last_name: values['last-name'],
          promote: values.promote,
        },
      ).catch((err: unknown) => {
        // The flow's refusals (a weak password, an account that is not an admin) are the operator's to fix.
        throw err instanceof AdminSetupError ? new CommandFailure(err.message) : err;
      });
      process.stdout.write(`${SAID[outcome.kind]}: ${email} (id ${outcome.id})\n`);
    } finally {
      await mongo.close();
    }
  },
);

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CommandFailure('no terminal to prompt on for the password: set CONVENE_ADMIN_PASSWORD');
  }
  // Ctrl-C at the prompt: the operator changed their mind, not a fault to show a stack for.
  const asked = (question: string) =>
    promptHidden(question).catch((err: Error) => {
      throw new CommandFailure(err.message);
    });
  const first = await asked('Password: ');
  const second = await asked('Password (again): ');
  if (first !== second) throw new CommandFailure("the passwords didn't match");
  return first;
}
