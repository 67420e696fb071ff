// `./convene <command> [...args]` (or `pnpm convene ...`): operator commands, each owned by the service it acts on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const commands: Record<string, { script: string; summary: string }> = {
  demo: {
    script: 'bin/demo.ts',
    summary: 'drive a running system through a short story (host, event, invitations, waitlist, feedback)',
  },
  'users:create-admin': {
    script: 'services/auth/src/cli/create-admin.ts',
    summary: 'create the first admin (--email, --username; password from CONVENE_ADMIN_PASSWORD or a prompt)',
  },
  'events:cleanup': {
    script: 'services/events/src/cli/cleanup.ts',
    summary: 'delete events that ended long ago (--older-than 30d, --dry-run)',
  },
  'invitations:expire': {
    script: 'services/invitations/src/cli/expire.ts',
    summary: 'expire overdue pending invitations now (what the sweeper does; --dry-run counts)',
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`usage: ./convene <command> [options]\n\ncommands:`);
  for (const [key, { summary }] of Object.entries(commands)) console.error(`  ${key.padEnd(20)} ${summary}`);
  process.exit(name ? 2 : 0);
}
const script = fileURLToPath(new URL(`../${command.script}`, import.meta.url));
if (!existsSync(script)) {
  console.error(`${name}: ${command.script} is not part of this checkout`);
  process.exit(2);
}
const result = spawnSync(process.execPath, [script, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
