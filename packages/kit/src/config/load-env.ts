import type { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One line per bad variable: `MONGO_URL: Required`. */
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.problems = problems;
  }
}

type Source = Record<string, string | undefined>;

/**
 * Parses the environment with `schema` or throws a ConfigError naming every bad variable.
 * An empty variable (`FOO=`) counts as unset, so defaults apply to it.
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: Source = process.env): z.output<S> {
  const input = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(describeIssues(result.error, input));
}

/** parseEnv for main.ts: on bad configuration, says what is wrong on stderr and exits 1. */
export function loadEnv<S extends z.ZodType>(schema: S, source: Source = process.env): z.output<S> {
  try {
    return parseEnv(schema, source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

function describeIssues(error: z.ZodError, input: Record<string, unknown>): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const missing = issue.path.length > 0 && input[String(issue.path[0])] === undefined;
    return `${name}: ${missing && issue.code === 'invalid_type' ? 'Required' : issue.message}`;
  });
}
