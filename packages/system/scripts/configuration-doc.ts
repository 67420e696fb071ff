// Writes docs/configuration.md: every environment variable of every service, from their Env schemas.
//   node packages/system/scripts/configuration-doc.ts           print the document
//   node packages/system/scripts/configuration-doc.ts --write   rewrite docs/configuration.md  (pnpm docs:config)
//   node packages/system/scripts/configuration-doc.ts --check   exit 1 when the file is stale
// Names, defaults and whether a variable is required come from the zod schemas themselves (each
// service's exported Env); descriptions from a `.describe()` text when a field has one, otherwise
// from the comment right above the field in the file that declares it (the service's src/env.ts,
// kit's config/base-env.ts), read as text so the comments stay the one place they are written.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFRESH_COMMAND = 'pnpm docs:config';
export const DOCUMENT_PATH = 'docs/configuration.md';
export const SERVICES = ['gateway', 'auth', 'events', 'invitations', 'feedback', 'notifier'] as const;
const BASE_ENV_FILE = 'packages/kit/src/config/base-env.ts';

export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

export interface Variable {
  name: string;
  /** null: required; undefined: optional without a default; otherwise the default as written. */
  default: string | null | undefined;
  /** Allowed values, when the schema lists them. */
  choices: string[] | null;
  description: string;
}

/** What the generator reads of a zod (v4) schema: its definition, its `.describe()` text, and parsing. */
interface Schema {
  _zod: { def: Record<string, unknown> & { type: string } };
  description?: string;
  safeParse(value: unknown): { success: boolean };
}

/** The object schema inside an Env: refinements keep it, a preprocess or transform wraps it in a pipe. */
function objectShape(schema: Schema): Record<string, Schema> {
  const def = schema._zod.def;
  if (def.type === 'object') return def.shape as Record<string, Schema>;
  if (def.type === 'pipe') {
    for (const side of [def.out, def.in] as Schema[]) {
      if (side && (side._zod.def.type === 'object' || side._zod.def.type === 'pipe')) {
        try {
          return objectShape(side);
        } catch {
          // the other side
        }
      }
    }
  }
  throw new Error(`no object schema inside a ${def.type}`);
}

/** The default as an operator writes it ('7d', 'true', 8081), looked for through the wrappers. */
function rawDefault(schema: Schema): { found: boolean; value: unknown; optional: boolean } {
  const def = schema._zod.def;
  if (def.type === 'default' || def.type === 'prefault')
    return { found: true, value: def.defaultValue, optional: false };
  if (def.type === 'optional') return { found: false, value: undefined, optional: true };
  if (def.type === 'pipe') return rawDefault(def.in as Schema);
  if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch')
    return rawDefault(def.innerType as Schema);
  return { found: false, value: undefined, optional: false };
}

function choicesOf(schema: Schema): string[] | null {
  const def = schema._zod.def;
  if (def.type === 'enum') return Object.values(def.entries as Record<string, string>);
  for (const inner of ['innerType', 'in'] as const) {
    if (def[inner]) return choicesOf(def[inner] as Schema);
  }
  return null;
}

function variableOf(name: string, schema: Schema, comments: Map<string, string>): Variable {
  const found = rawDefault(schema);
  let value: string | null | undefined;
  if (found.found) value = JSON.stringify(found.value) === undefined ? String(found.value) : String(found.value);
  else if (found.optional || schema.safeParse(undefined).success) value = undefined;
  else value = null;
  return {
    name,
    default: value,
    choices: choicesOf(schema),
    description: schema.description ?? comments.get(name) ?? '',
  };
}

/**
 * `NAME:` → the comment right above it (a JSDoc block or `//` lines), one line of text. A field
 * whose key is computed (the gateway's AUTH_URL, EVENTS_URL, ...) takes the comment above the
 * declaration whose backticked example names a variable of the same shape.
 */
export function fieldComments(source: string): { byName: Map<string, string>; examples: Array<[string, string]> } {
  const byName = new Map<string, string>();
  const examples: Array<[string, string]> = [];
  const pattern =
    /(\/\*\*(?:(?!\*\/)[\s\S])*\*\/|(?:^[ \t]*\/\/[^\n]*\n)+)\s*(?:(?:export\s+)?const\s+\w+\s*=|([A-Z][A-Z0-9_]*)\s*:)/gm;
  for (const match of source.matchAll(pattern)) {
    const text = clean(match[1]!);
    if (match[2]) {
      if (!byName.has(match[2])) byName.set(match[2], text);
    } else for (const example of text.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) examples.push([example[1]!, text]);
  }
  return { byName, examples };
}

function clean(comment: string): string {
  return comment
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*(\*|\/\/)\s?/, '').trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** AUTH_URL and EVENTS_URL have one shape: a service's name, then _URL. */
function sameShape(a: string, b: string, prefixes: readonly string[]): boolean {
  const suffix = (name: string) => {
    const prefix = prefixes.find((p) => name.startsWith(`${p}_`));
    return prefix ? name.slice(prefix.length) : null;
  };
  const s = suffix(a);
  return s !== null && s === suffix(b);
}

export interface ServiceConfiguration {
  service: string;
  variables: Variable[];
  /** Comments the service's own env.ts puts on a variable (a shared one it redeclares, too). */
  ownComments: Map<string, string>;
}

export async function loadConfiguration(root = repoRoot()): Promise<ServiceConfiguration[]> {
  const { BaseEnv } = (await import(`${root}/packages/kit/src/config/base-env.ts`)) as { BaseEnv: Schema };
  const base = fieldComments(readFileSync(`${root}/${BASE_ENV_FILE}`, 'utf8'));
  const prefixes = SERVICES.map((s) => s.toUpperCase());
  const result: ServiceConfiguration[] = [{ service: 'base', variables: [], ownComments: base.byName }];
  for (const [name, field] of Object.entries(objectShape(BaseEnv))) {
    result[0]!.variables.push(variableOf(name, field, base.byName));
  }
  for (const service of SERVICES) {
    const file = `${root}/services/${service}/src/env.ts`;
    const { Env } = (await import(file)) as { Env: Schema };
    const own = fieldComments(readFileSync(file, 'utf8'));
    const comments = new Map([...base.byName, ...own.byName]);
    const variables = Object.entries(objectShape(Env)).map(([name, field]) => {
      if (!comments.has(name)) {
        const example = own.examples.find(([example]) => example === name || sameShape(example, name, prefixes));
        if (example) comments.set(name, example[1]);
      }
      return variableOf(name, field, comments);
    });
    result.push({ service, variables, ownComments: own.byName });
  }
  return result;
}

function defaultCell(v: Variable): string {
  if (v.default === null) return '**required**';
  if (v.default === undefined) return 'optional';
  return v.default === '' ? '`""`' : `\`${v.default}\``;
}

function describeCell(v: Variable): string {
  const choices = v.choices ? ` One of: ${v.choices.map((c) => `\`${c}\``).join(', ')}.` : '';
  return `${v.description}${choices}`.trim() || '—';
}

export function renderConfiguration(services: ServiceConfiguration[]): string {
  const [base, ...rest] = services as [ServiceConfiguration, ...ServiceConfiguration[]];
  const baseNames = new Set(base.variables.map((v) => v.name));
  const lines: string[] = [
    '# Configuration',
    '',
    `<!-- Generated from the services' Env schemas by packages/system/scripts/configuration-doc.ts; do not edit by hand. Refresh: \`${REFRESH_COMMAND}\` (a test fails when this file is stale). -->`,
    '',
    'Every service reads its configuration from environment variables only, checked at start-up',
    "against its `Env` schema (`services/<service>/src/env.ts`, built on kit's `BaseEnv`): a",
    'missing required variable or a bad value stops the boot with the variable named. Durations',
    '(`*_MS`) take milliseconds or a number with a unit: `500ms`, `30s`, `15m`, `24h`, `7d`, `2w`.',
    'Flags take `true`, `false`, `1` or `0`.',
    '',
    '## Shared by the services',
    '',
    `Declared once in \`${BASE_ENV_FILE}\`; a service may change a default (its own value is shown).`,
    '',
    '| Variable | Services | Default | Description |',
    '|---|---|---|---|',
  ];
  for (const variable of base.variables) {
    const users = rest.filter((s) => s.variables.some((v) => v.name === variable.name));
    const defaults = new Map<string, string[]>();
    for (const s of users) {
      const own = s.variables.find((v) => v.name === variable.name)!;
      const cell = defaultCell(own);
      defaults.set(cell, [...(defaults.get(cell) ?? []), s.service]);
    }
    const defaultText =
      defaults.size <= 1
        ? ([...defaults.keys()][0] ?? defaultCell(variable))
        : [...defaults].map(([cell, names]) => `${names.join(', ')}: ${cell}`).join('<br>');
    const serviceText = users.length === rest.length ? 'all' : users.map((s) => s.service).join(', ');
    const notes = users
      .filter((s) => s.ownComments.has(variable.name))
      .map((s) => `${s.service}: ${s.ownComments.get(variable.name)}`);
    const description = [describeCell(variable), ...notes].filter((t) => t !== '—' || notes.length === 0).join('<br>');
    lines.push(`| \`${variable.name}\` | ${serviceText} | ${defaultText} | ${description} |`);
  }
  for (const { service, variables } of rest) {
    const own = variables.filter((v) => !baseNames.has(v.name));
    lines.push('', `## ${service}`, '', `\`services/${service}/src/env.ts\``, '');
    if (own.length === 0) {
      lines.push('Only the shared variables.');
      continue;
    }
    lines.push('| Variable | Default | Description |', '|---|---|---|');
    for (const v of own) lines.push(`| \`${v.name}\` | ${defaultCell(v)} | ${describeCell(v)} |`);
  }
  lines.push(
    '',
    '## Operator commands',
    '',
    '`./convene <command>` (every command takes `--help`) reads the variables of the service it acts on, as',
    'that service reads them (`MONGO_URL` first of all), plus:',
    '',
    '| Variable | Used by | Default | Description |',
    '|---|---|---|---|',
    '| `AMQP_URL` | `dlq:*` | `amqp://guest:guest@127.0.0.1:5672` | The broker whose dead-letter queues are read. |',
    '| `BUS_NAMESPACE` | `dlq:*` | `""` | The queue-name prefix the services run with. |',
    "| `MONGO_BASE_URL` | `outbox:status` | `mongodb://127.0.0.1:27017` | The server holding every service's `convene_<service>` database (also `--mongo-base`). |",
    "| `CONVENE_ADMIN_PASSWORD` | `users:create-admin` | prompted | The new admin's password (`ADMIN_PASSWORD` also works). |",
    '| `BOOTSTRAP_ADMIN_EMAIL` | `users:invite` | optional | The inviting admin when `--by` is not given. |',
  );
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const root = repoRoot();
  const text = renderConfiguration(await loadConfiguration(root));
  const path = `${root}/${DOCUMENT_PATH}`;
  const args = process.argv.slice(2);
  if (args.includes('--write')) {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${DOCUMENT_PATH}\n`);
  } else if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      process.stderr.write(`${DOCUMENT_PATH} is stale: run \`${REFRESH_COMMAND}\`\n`);
      process.exit(1);
    }
  } else {
    process.stdout.write(text);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
