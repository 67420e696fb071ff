import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { signUp, systemTest } from '../src/index.ts';
import { runSchemathesis } from './support/schemathesis.ts';

// The merged OpenAPI document tells the truth (clients generate code from it): schemathesis
// generates requests from /api/openapi.json, valid and invalid, and every check it has must hold —
// valid requests accepted, invalid ones refused, only documented statuses, content types and
// schemas, 405 with Allow for an undocumented method, 401 without the token a route requires.
// Generation is seeded, so a failure here reproduces with the same command.

const SEED = 20261208;
const MAX_EXAMPLES = 15;
/** The whole run, schemathesis included; the child is killed when it is spent. */
const RUN_TIMEOUT_MS = 10 * 60_000;
const REPORTS = fileURLToPath(new URL('./artifacts/openapi-contract/', import.meta.url));
const CONFIG = fileURLToPath(new URL('./support/schemathesis.toml', import.meta.url));

const it = systemTest({
  env: {
    // Generated traffic is thousands of requests from one address and one user: no budget may run out.
    gateway: { RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_USER: '1000000' },
    auth: { LOGIN_MAX_FAILURES_PER_IP: '1000000', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000' },
    events: { EVENT_CREATE_LIMIT: '1000000' },
    invitations: { TOKEN_MISSES_PER_WINDOW: '1000000' },
  },
});

it(
  'the server answers as the merged OpenAPI document says, for generated requests',
  async ({ stack }) => {
    const { token } = await signUp(stack.api);
    // The document as schemathesis reads it, beside its report, for whoever reads a failure.
    await mkdir(REPORTS, { recursive: true });
    await writeFile(`${REPORTS}openapi.json`, await (await fetch(`${stack.url}/api/openapi.json`)).text());
    const run = await runSchemathesis(
      [
        // Operations whose rules no JSON Schema can state, each named there (decision 0070).
        '--config-file',
        CONFIG,
        'run',
        `${stack.url}/api/openapi.json`,
        '--checks',
        'all',
        '--seed',
        String(SEED),
        '--max-examples',
        String(MAX_EXAMPLES),
        // No example database: a run replays nothing from an earlier one, so the seed alone decides it.
        '--generation-database',
        'none',
        // Not the stateful phase: it chains the ids real responses return (random per run) and the
        // state asynchronous work leaves behind, so two runs with one seed test different things, and
        // a state refusal the legacy APIs define (400 "You are not registered for this event.") reads
        // as valid data rejected. The examples, coverage and fuzzing phases are reproducible by seed.
        '--phases',
        'examples,coverage,fuzzing',
        '--workers',
        '1',
        '--header',
        `Authorization: Bearer ${token}`,
        '--request-timeout',
        '30',
        '--report',
        'junit',
        '--report-dir',
        REPORTS,
      ],
      // Its working folder is the report folder: schemathesis keeps a cache in `.schemathesis/` there.
      { timeoutMs: RUN_TIMEOUT_MS - 60_000, cwd: REPORTS },
    );
    expect(run.timedOut, `schemathesis outlasted its time:\n${run.output}`).toBe(false);
    expect(run.exitCode, run.output).toBe(0);
  },
  RUN_TIMEOUT_MS,
);
