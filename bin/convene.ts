// `./convene <command> [...args]` (or `pnpm convene ...`): operator commands, each owned by the service it acts on.
// Every command takes --help; exit codes: 0 done, 1 failed (or some items failed), 2 usage error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Command {
  script: string;
  /** Arguments put before the operator's (one script serving several commands). */
  args?: string[];
  summary: string;
}

const dlq = 'packages/kit/src/cli/dead-letters-command.ts';

const commands: Record<string, Command> = {
  demo: {
    script: 'bin/demo.ts',
    summary: 'drive a running system through a short story (host, event, invitations, waitlist, feedback)',
  },
  'users:create-admin': {
    script: 'services/auth/src/cli/create-admin.ts',
    summary: 'create the first admin (--email, --username; password from CONVENE_ADMIN_PASSWORD or a prompt)',
  },
  'users:invite': {
    script: 'services/auth/src/cli/invite-user.ts',
    summary: 'an admin creates an account that gets the set-password email (--email, --username)',
  },
  'events:cleanup': {
    script: 'services/events/src/cli/cleanup.ts',
    summary: 'delete events that ended long ago (--older-than 30d, --dry-run)',
  },
  'invitations:expire': {
    script: 'services/invitations/src/cli/expire.ts',
    summary: 'expire overdue pending invitations now (what the sweeper does; --dry-run counts)',
  },
  'invitations:import': {
    script: 'services/invitations/src/cli/import.ts',
    summary: 'invite everyone in a CSV (email, full_name, role) to an event, with progress and a per-row report',
  },
  'dlq:list': { script: dlq, args: ['list'], summary: 'every dead-letter queue with its count and failure reasons' },
  'dlq:show': { script: dlq, args: ['show'], summary: 'look at dead letters without removing them (QUEUE [--id ID])' },
  'dlq:replay': {
    script: dlq,
    args: ['replay'],
    summary: 'send dead letters back to the queue they failed in (QUEUE --id ID | --all)',
  },
  'dlq:discard': {
    script: dlq,
    args: ['discard'],
    summary: 'remove dead letters for good (QUEUE --id ID | --all --yes)',
  },
  'outbox:status': {
    script: 'packages/kit/src/cli/outbox-status-command.ts',
    summary: 'per service: events written but not yet published, and the oldest one’s age ([SERVICE])',
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  if (name && name !== 'help') console.error(`unknown command: ${name}\n`);
  console.error('usage: ./convene <command> [options]   (./convene <command> --help for its options)\n\ncommands:');
  for (const [key, { summary }] of Object.entries(commands)) console.error(`  ${key.padEnd(20)} ${summary}`);
  console.error('\nexit codes: 0 done, 1 failed (or some items failed), 2 usage error');
  process.exit(name && name !== 'help' ? 2 : 0);
}
const script = fileURLToPath(new URL(`../${command.script}`, import.meta.url));
if (!existsSync(script)) {
  console.error(`${name}: ${command.script} is not part of this checkout`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [script, ...(command.args ?? []), ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
