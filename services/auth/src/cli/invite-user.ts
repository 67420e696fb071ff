/**
 * `./convene users:invite --email ... [--username ...]`: an admin creates an account that cannot
 * sign in yet; its user.invited message, relayed by the running auth service, becomes the email
 * with the set-password link (the same flow as POST /api/users).
 *
 *   MONGO_URL=mongodb://127.0.0.1:27017/convene_auth ./convene users:invite --email ann@example.com --by admin@example.com
 */
import { connectMongo, ensureIndexes, parseEnv } from '@convene/kit';
import { CommandFailure, runCommand, UsageError } from '@convene/kit/cli';
import { CliEnv } from '../env.ts';
import { inviteUser } from '../flows/invite-user.ts';
import { setPasswordUrlBase } from '../flows/issue-invitation-link.ts';
import { CreateUserBody } from '../http/schemas.ts';
import { userStore } from '../store/users.ts';

const USAGE = `Usage: ./convene users:invite --email EMAIL [--username NAME] [--first-name NAME] [--last-name NAME]
                           [--role user|admin] [--by ADMIN]

Creates an invited account (no password) with a single-use set-password link, valid for
INVITATION_TTL_MS (7 days by default). The link reaches the person by email once a running auth
service has published the account's user.invited message and the notifier has sent it.
--by names the inviting admin (email or username; default BOOTSTRAP_ADMIN_EMAIL): an active admin.

Environment: MONGO_URL (auth's database), PUBLIC_URL and SET_PASSWORD_PATH (where the link
points, as the service reads them), INVITATION_TTL_MS.`;

runCommand(
  {
    name: 'users:invite',
    usage: USAGE,
    options: {
      email: { type: 'string' },
      username: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      role: { type: 'string', default: 'user' },
      by: { type: 'string' },
    },
  },
  async ({ values }) => {
    if (!values.email) throw new UsageError('--email is required');
    // The route's own body schema: the same rules for an email, a username and a role.
    const parsed = CreateUserBody.safeParse({
      email: values.email,
      ...(values.username === undefined ? {} : { username: values.username }),
      ...(values['first-name'] === undefined ? {} : { first_name: values['first-name'] }),
      ...(values['last-name'] === undefined ? {} : { last_name: values['last-name'] }),
      role: values.role,
    });
    if (!parsed.success) {
      throw new UsageError(
        parsed.error.issues.map((i) => `--${String(i.path[0]).replace('_', '-')}: ${i.message}`).join('; '),
      );
    }
    const input = parsed.data;
    const by = values.by ?? process.env.BOOTSTRAP_ADMIN_EMAIL;
    if (!by) throw new UsageError('--by ADMIN is required (or BOOTSTRAP_ADMIN_EMAIL)');
    const env = parseEnv(CliEnv);
    const mongo = await connectMongo(env.MONGO_URL);
    try {
      const users = userStore(mongo);
      await ensureIndexes([users.model]);
      const admin = await users.bySignInName(by);
      if (admin?.role !== 'admin' || admin.status !== 'active') {
        throw new CommandFailure(`${by} is not an active admin (create one with ./convene users:create-admin)`);
      }
      const user = await inviteUser(
        {
          users,
          // A command-line process: real time; a running auth relays the outbox.
          now: () => new Date(),
          policy: {
            invitationTtlMs: env.INVITATION_TTL_MS,
            setPasswordUrlBase: setPasswordUrlBase(env.PUBLIC_URL, env.SET_PASSWORD_PATH),
          },
        },
        admin,
        { ...input, role: input.role as 'user' | 'admin' | undefined },
      );
      process.stdout.write(
        `invited ${user.email} (username ${user.username}, id ${user.id}); the set-password email goes out once auth publishes it\n`,
      );
    } finally {
      await mongo.close();
    }
  },
);
