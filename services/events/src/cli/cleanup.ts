// `./convene events:cleanup --older-than 30d [--dry-run]`: delete events that ended long ago.
import { connectMongo, createLogger, parseDuration, parseEnv } from '@convene/kit';
import { CommandFailure, runCommand, UsageError } from '@convene/kit/cli';
import { SingleBar } from 'cli-progress';
import { z } from 'zod';
import { cleanUpOldEvents } from '../flows/clean-up-old-events.ts';
import { createFlowContext } from '../flows/context.ts';
import { createStore } from '../store/store.ts';

const USAGE = `Usage: ./convene events:cleanup [--older-than 30d] [--dry-run] [--no-progress]

Deletes events that ended more than --older-than ago (default CLEANUP_OLDER_THAN_MS or 30d), with
their registrations. --dry-run only counts. Takes the same lease as the scheduled cleanup, so it
never runs concurrently with it: exits 1 while another cleanup holds it. Needs MONGO_URL.`;

const CliEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/\S+$/, 'Expected a mongodb:// URL'),
  CLEANUP_OLDER_THAN_MS: z.string().default('30d'),
  LOG_LEVEL: z.string().default('error'),
});

runCommand(
  {
    name: 'events:cleanup',
    usage: USAGE,
    options: {
      'older-than': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'no-progress': { type: 'boolean', default: false },
    },
  },
  async ({ values }) => {
    const env = parseEnv(CliEnv);
    const olderThanText = values['older-than'] ?? env.CLEANUP_OLDER_THAN_MS;
    const olderThanMs = parseDuration(olderThanText);
    if (olderThanMs === undefined || olderThanMs <= 0) {
      throw new UsageError(`--older-than: "${olderThanText}" is not a duration (e.g. 30d, 12h, 90m)`);
    }
    const dryRun = values['dry-run'];
    const showProgress = !values['no-progress'] && process.stderr.isTTY;

    const logger = createLogger({ service: 'events-cleanup', level: env.LOG_LEVEL });
    const mongo = await connectMongo(env.MONGO_URL, { logger });
    // The CLI is an entry point of its own: it runs on the wall clock.
    const now = () => new Date();
    const bar = new SingleBar({
      format: `${dryRun ? 'counting' : 'deleting'} {bar} {percentage}% | {value}/{total} events | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    });
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
      }).catch((err: unknown) => {
        throw new CommandFailure(`cleanup failed: ${(err as Error).message}`, { cause: err });
      });
      if (!run.ran || !run.report) {
        throw new CommandFailure('another cleanup is running (lease events.cleanup is held); try again later');
      }
      const r = run.report;
      const verb = dryRun ? 'would delete' : 'deleted';
      process.stdout.write(
        `${verb} ${r.events} event(s) and ${r.registrations} registration(s) that ended more than ${olderThanText} ago` +
          `${r.skipped ? `; ${r.skipped} skipped (messages still to publish or moves in flight)` : ''}.\n`,
      );
    } finally {
      if (showProgress) bar.stop();
      await mongo.close();
    }
  },
);
