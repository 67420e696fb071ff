/**
 * `./convene invitations:import FILE.csv --event ID --host USER_ID`: the CSV import of
 * POST /api/events/{id}/invitations/import, run by an operator: the same flow and parser, with a
 * progress line and a report of every refused row.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { parseEnv } from '@convene/kit';
import { CommandFailure, EXIT, progress, runCommand, UsageError } from '@convene/kit/cli';
import { roleFrom } from '../domain/invitation-rules.ts';
import type { Actor, FlowContext } from '../flows/context.ts';
import { type ImportReport, importInvitationsFromCsv } from '../flows/import-invitations-from-csv.ts';
import { CliEnv } from './cli-env.ts';
import { withCliFlows } from './with-cli-flows.ts';

const USAGE = `Usage: ./convene invitations:import FILE.csv --event EVENT_ID --host USER_ID
         [--host-email EMAIL --host-name NAME] [--role attendee|cohost] [--message TEXT]
         [--vip] [--bypass-capacity] [--publish]

Invites everyone in FILE.csv to the event, as the host (or a co-host) USER_ID would through
POST /api/events/{id}/invitations/import: a header row with an "email" column (full_name and role
optional), every row checked, good rows invited in batches, each invitation with its
invitation.sent in the outbox (a running invitations service publishes them; --publish does it
before exiting, with AMQP_URL and BUS_NAMESPACE).
The host's email and name come from auth (AUTH_URL) unless --host-email and --host-name are given.

Progress goes to stderr: a line redrawn in place on a terminal, a line every 500 rows otherwise.
Then every refused row: its line number (the header is line 1), the column and the reason; and
every skipped one (already invited, already taking part). Exits 1 when any row was refused.

Environment: MONGO_URL (invitations' database), the service's own settings (INVITATION_TTL_MS,
IMPORT_MAX_ROWS, IMPORT_BATCH_SIZE, EVENTS_URL, AUTH_URL, INVITATION_LINK_KEY, PUBLIC_URL).`;

runCommand(
  {
    name: 'invitations:import',
    usage: USAGE,
    positionals: true,
    options: {
      event: { type: 'string' },
      host: { type: 'string' },
      'host-email': { type: 'string' },
      'host-name': { type: 'string' },
      role: { type: 'string', default: 'attendee' },
      message: { type: 'string', default: '' },
      vip: { type: 'boolean', default: false },
      'bypass-capacity': { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
    },
  },
  async ({ values, positionals }) => {
    const [file, ...extra] = positionals;
    if (!file) throw new UsageError('which file? (a CSV with an "email" column)');
    if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
    const { event: eventId, host } = values;
    if (!eventId) throw new UsageError('--event EVENT_ID is required');
    if (!host) throw new UsageError('--host USER_ID is required (the host or a co-host of the event)');
    const role = roleFrom(values.role);
    if (role !== 'attendee' && role !== 'cohost') throw new UsageError('--role is attendee or cohost');
    const env = parseEnv(CliEnv);
    if (values.publish && !env.AMQP_URL) throw new UsageError('--publish needs AMQP_URL');

    return withCliFlows(env, async ({ flows, publishWritten }) => {
      const actor = await hostOf(flows, host, values['host-email'], values['host-name']);

      const bar = progress({ label: `importing ${file}`, total: await dataLines(file), every: 500 });
      const status = (r: Readonly<ImportReport>) => `${r.created} invited, ${r.skipped} skipped, ${r.failed} refused`;
      const report = await importInvitationsFromCsv(flows, {
        eventId,
        actor,
        csv: createReadStream(file),
        message: values.message,
        role,
        is_vip: values.vip,
        bypass_capacity: values['bypass-capacity'],
        expires_in_ms: flows.policy.ttlMs,
        onProgress: (r) => bar.update(r.rows, status(r)),
      });
      bar.finish(report.rows, status(report));
      printReport(report);

      if (values.publish) await publishWritten();
      return report.failed > 0 ? EXIT.failure : EXIT.ok;
    });
  },
);

async function hostOf(
  flows: FlowContext,
  id: string,
  email: string | undefined,
  name: string | undefined,
): Promise<Actor> {
  if (email) return { id, email, name: name ?? '', username: name ?? email };
  const user = await flows.users.find(id);
  if (!user)
    throw new CommandFailure(`no account ${id} (asked auth at its AUTH_URL); or give --host-email and --host-name`);
  return { id, email: user.email, name: user.name, username: user.name };
}

/**
 * Lines after the header, counted before the import for the bar's total. An estimate only (a
 * quoted field may span lines, blank lines are skipped): the bar stops at 100%, and the import
 * itself reads the file through the flow's one CSV parser.
 */
async function dataLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines++;
    last = chunk.at(-1) ?? last;
  }
  if (last !== 10) lines++;
  return Math.max(0, lines - 1);
}

function printReport(report: ImportReport): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${report.rows} row(s): ${report.created} invited, ${report.skipped} skipped, ${report.failed} refused`);
  for (const { row, errors } of report.errors) {
    for (const [column, reasons] of Object.entries(errors)) out(`  row ${row}, ${column}: ${reasons.join(' ')}`);
  }
  for (const skip of report.skips) out(`  row ${skip.row} skipped (${skip.reason}): ${skip.email}: ${skip.detail}`);
  if (report.truncated) out('  (the first 1000 refused and 1000 skipped rows are listed; every one is counted above)');
}
