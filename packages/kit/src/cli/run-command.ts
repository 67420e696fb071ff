import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Exit codes every operator command uses. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Wrong or missing arguments: the command prints its usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected failure (nothing to act on, a refusal): its message alone, exit 1. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** As the operator types it: `dlq:replay`. */
  name: string;
  usage: string;
  options: O;
  /** Positional arguments allowed (default none). */
  positionals?: boolean;
}

export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

/**
 * Runs an operator command with the one convention for them all: `--help` prints the usage (exit
 * 0), bad arguments print what is wrong and the usage (exit 2), a failure prints its message
 * (exit 1), and the command's own number otherwise. Never a stack trace for an expected failure.
 */
export function runCommand<O extends Options>(
  spec: CommandSpec<O>,
  main: (args: Parsed<O>) => Promise<number | undefined>,
  argv: string[] = process.argv.slice(2),
): void {
  const finish = (code: number) => {
    process.exitCode = code;
    // Open handles (a driver's timers) must not keep a finished command alive.
    setImmediate(() => process.exit(code)).unref();
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${spec.usage.trimEnd()}\n`);
    finish(EXIT.ok);
    return;
  }
  let args: Parsed<O>;
  try {
    args = parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true }) as Parsed<O>;
    if (!spec.positionals && args.positionals.length > 0) {
      throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    }
  } catch (err) {
    process.stderr.write(`${spec.name}: ${(err as Error).message}\n\n${spec.usage.trimEnd()}\n`);
    finish(EXIT.usage);
    return;
  }
  main(args).then(
    (code) => finish(typeof code === 'number' ? code : EXIT.ok),
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`${spec.name}: ${err.message}\n\n${spec.usage.trimEnd()}\n`);
        finish(EXIT.usage);
        return;
      }
      const expected =
        err instanceof CommandFailure ||
        (err instanceof Error && (err.name === 'ConfigError' || 'status' in err || 'code' in err));
      let message = err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : String(err);
      // A validation problem's field errors (problem+json `errors`) say what was wrong with which value.
      const fields = (err as { extras?: { errors?: unknown } }).extras?.errors;
      if (expected && fields && typeof fields === 'object' && !Array.isArray(fields)) {
        for (const [field, messages] of Object.entries(fields))
          message += `\n  ${field}: ${[messages].flat().join(' ')}`;
      }
      process.stderr.write(`${spec.name}: ${message}\n`);
      finish(EXIT.failure);
    },
  );
}
