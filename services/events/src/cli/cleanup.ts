// `pnpm convene events:cleanup --older-than 30d [--dry-run]`: delete events that ended long ago.
import { parseArgs } from 'node:util';
import { connectMongo, createLogger, loadEnv, parseDuration } from '@convene/kit';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { cleanUpOldEvents } from '../flows/clean-up-old-events.ts';
import { createFlowContext } from '../flows/context.ts';
import { createStore } from '../store/store.ts';

const usage = `Usage: events:cleanup [--older-than 30d] [--dry-run] [--no-progress]

Deletes events that ended more than --older-than ago (default CLEANUP_OLDER_THAN_MS or 30d), with
their registrations. --dry-run only counts. Takes the same lease as the scheduled cleanup, so it
never runs concurrently with it. Needs MONGO_URL.`;

const CliEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// URL'),
  CLEANUP_OLDER_THAN_MS: z.string().default('30d'),
  LOG_LEVEL: z.string().default('error'),
});

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
}
try {
  args = parse();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${usage}\n`);
  process.exit(2);
}
if (args.values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const env = loadEnv(CliEnv);
const olderThanText = args.values['older-than'] ?? env.CLEANUP_OLDER_THAN_MS;
const olderThanMs = parseDuration(olderThanText);
if (olderThanMs === undefined || olderThanMs <= 0) {
  process.stderr.write(`--older-than: "${olderThanText}" is not a duration (e.g. 30d, 12h, 90m)\n`);
  process.exit(2);
}
const dryRun = args.values['dry-run'] ?? false;
const showProgress = !args.values['no-progress'] && process.stderr.isTTY;

const logger = createLogger({ service: 'events-cleanup', level: env.LOG_LEVEL });
const mongo = await connectMongo(env.MONGO_URL, { logger });
// The CLI is an entry point of its own: it runs on the wall clock.
const now = () => new Date();
const bar = new SingleBar({
  format: `${dryRun ? 'counting' : 'deleting'} {bar} {percentage}% | {value}/{total} events | {duration_formatted}`,
  stream: process.stderr,
  hideCursor: true,
});
let exitCode = 0;
try {
  const run = await cleanUpOldEvents(createFlowContext(createStore(mongo, { now }), { now }), {
    olderThanMs,
    dryRun,
    onStart: (total) => {
      if (showProgress && total > 0) bar.start(total, 0);
      else process.stderr.write(`${total} event(s) ended more than ${olderThanText} ago\n`);
    },
    onProgress: (done) => {
      if (showProgress) bar.update(done);
    },
  });
  if (showProgress) bar.stop();
  if (!run.ran) {
    process.stderr.write('Another cleanup is running (lease events.cleanup is held); try again later.\n');
    exitCode = 3;
  } else {
    const r = run.report!;
    const verb = dryRun ? 'would delete' : 'deleted';
    process.stdout.write(
      `${verb} ${r.events} event(s) and ${r.registrations} registration(s) that ended more than ${olderThanText} ago` +
        `${r.skipped ? `; ${r.skipped} skipped (messages still to publish or moves in flight)` : ''}.\n`,
    );
  }
} catch (err) {
  if (showProgress) bar.stop();
  process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
  exitCode = 1;
} finally {
  await mongo.close();
}
process.exit(exitCode);
