// Writes docs/events-catalogue.md: every domain event, who publishes it and who consumes it.
//   node packages/contracts/scripts/events-catalogue.ts           print the document
//   node packages/contracts/scripts/events-catalogue.ts --write   rewrite docs/events-catalogue.md
//   node packages/contracts/scripts/events-catalogue.ts --check   exit 1 when the file is stale
// Publishers come from the catalogue's `publishedBy`; consumers from each service's
// src/consumers/subscriptions.ts, read as text (its imports and the keys of its subscribe(...) calls),
// so the document can be made without starting a service.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue, type EventName, eventNames } from '../src/catalogue.ts';

export const REFRESH_COMMAND = 'node packages/contracts/scripts/events-catalogue.ts --write';
export const DOCUMENT_PATH = 'docs/events-catalogue.md';

export interface Consumer {
  service: string;
  queue: string;
  event: string;
  handler: string;
  /** Relative to the repository root, posix separators. */
  file: string;
  /** What keeps the handler from acting twice on one message, as declared in subscriptions.ts. */
  markers: 'envelope id' | 'own key' | 'none';
}

/** The repository root: two folders above packages/contracts. */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

/** Blanks out comments, keeping strings and line structure, so the patterns below never match inside them. */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== ch) j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Local name → module specifier, for every value (not type-only) import of a module. */
export function importedNames(source: string): Map<string, string> {
  const names = new Map<string, string>();
  const pattern = /import\s+(type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) {
    const [, typeOnly, defaultName, named, specifier] = match;
    if (typeOnly || !specifier) continue;
    if (defaultName) names.set(defaultName, specifier);
    for (const part of (named ?? '').split(',')) {
      const item = part.trim();
      if (!item || item.startsWith('type ')) continue;
      const name = item.match(/^(\w+)(?:\s+as\s+(\w+))?$/);
      if (name) names.set(name[2] ?? name[1]!, specifier);
    }
  }
  return names;
}

/** The text between the bracket at `open` and its partner (exclusive), skipping strings. */
function enclosed(source: string, open: number): string | undefined {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== ch) j += source[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[ch]) {
      stack.push(pairs[ch]!);
    } else if (ch === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return source.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Splits at the commas that are not inside brackets or strings. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if ('{(['.includes(ch)) depth++;
    else if ('})]'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter(Boolean);
}

export interface Subscription {
  purpose: string;
  event: string;
  handler: string;
  markers: Consumer['markers'];
}

/** Every `subscribe('<purpose>', { '<event>': handler(deps) | { handle: handler(deps), ... } })` in a file. */
export function subscriptionsIn(source: string): Subscription[] {
  const code = stripComments(source);
  const found: Subscription[] = [];
  for (const call of code.matchAll(/\bsubscribe\s*\(\s*(['"])([^'"]+)\1\s*,\s*\{/g)) {
    const purpose = call[2]!;
    const body = enclosed(code, call.index + call[0].length - 1);
    if (body === undefined) continue;
    for (const entry of topLevelParts(body)) {
      const keyed = entry.match(/^(['"])([^'"]+)\1\s*:\s*([\s\S]+)$/) ?? entry.match(/^()([\w$]+)\s*:\s*([\s\S]+)$/);
      if (!keyed) continue;
      const event = keyed[2]!;
      let value = keyed[3]!.trim();
      let markers: Consumer['markers'] = 'envelope id';
      if (value.startsWith('{')) {
        const fields = topLevelParts(enclosed(value, 0) ?? '');
        const field = (name: string) =>
          fields.find((part) => part.startsWith(`${name}:`) || part === name)?.replace(/^\w+\s*:?\s*/, '');
        if (field('markers') === 'false') markers = 'none';
        else if (field('key') !== undefined) markers = 'own key';
        value = field('handle') ?? '';
      }
      const handler = value.match(/^([\w$]+)/)?.[1];
      if (handler) found.push({ purpose, event, handler, markers });
    }
  }
  return found;
}

/** The services that have a folder under services/, sorted. */
export function serviceNames(root: string): string[] {
  const dir = join(root, 'services');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Every consumer the services declare in their subscriptions.ts, in the order they declare them. */
export function consumersOf(root: string): Consumer[] {
  const consumers: Consumer[] = [];
  for (const service of serviceNames(root)) {
    const file = join(root, 'services', service, 'src/consumers/subscriptions.ts');
    if (!existsSync(file)) continue;
    const source = readFileSync(file, 'utf8');
    const imports = importedNames(stripComments(source));
    for (const sub of subscriptionsIn(source)) {
      const specifier = imports.get(sub.handler);
      const target = specifier?.startsWith('.') ? resolve(dirname(file), specifier) : file;
      consumers.push({
        service,
        queue: `${service}.${sub.purpose}`,
        event: sub.event,
        handler: sub.handler,
        file: relative(root, target).split(/[\\/]/).join(posix.sep),
        markers: sub.markers,
      });
    }
  }
  return consumers;
}

const MARKERS: Record<Consumer['markers'], string> = {
  'envelope id': 'bus, per envelope',
  'own key': 'bus, per declared key',
  none: 'none (idempotent by its own writes)',
};

function dataFields(name: EventName): string {
  const schema = catalogue[name].schema as unknown as { shape?: Record<string, { isOptional?: () => boolean }> };
  if (!schema.shape) return '';
  return Object.entries(schema.shape)
    .map(([field, type]) => `\`${field}${type.isOptional?.() ? '?' : ''}\``)
    .join(', ');
}

function link(root: string, file: string): string {
  return existsSync(join(root, file)) ? `[${posix.basename(file)}](../${file})` : `\`${file}\` (missing)`;
}

/** The whole document, deterministic for a given tree. */
export function renderCatalogue(root: string = repoRoot()): string {
  const consumers = consumersOf(root);
  const known = new Set<string>(eventNames);
  const lines: string[] = [
    '# Domain events catalogue',
    '',
    '<!-- Generated: do not edit by hand. -->',
    `Generated by \`${REFRESH_COMMAND}\``,
    'from `packages/contracts/src/catalogue.ts` (every event, its schema and the one service that publishes it)',
    'and each `services/*/src/consumers/subscriptions.ts` (queue → routing key → handler → file).',
    '`packages/contracts/test/events-catalogue.test.ts` fails when this file is stale, and holds each service',
    'to publishing only the events declared for it.',
    '',
    'Every event is a CloudEvents-style envelope on the `convene.events` topic exchange, routing key = event',
    'name; each consuming service has its own durable queue `<service>.<purpose>` bound to the keys it',
    'handles, and replicas of a service compete for that queue ([architecture.md](architecture.md#the-bus),',
    '[bus.md](bus.md)). "Markers" says what keeps a handler from acting twice on a redelivered message: the',
    'bus keeps a marker per envelope id (or per a key the subscription declares), or the handler is',
    'idempotent by its own writes.',
    '',
    '## Overview',
    '',
    '| event | published by | consumed by |',
    '|---|---|---|',
  ];
  for (const name of eventNames) {
    const by = consumers.filter((c) => c.event === name);
    const services = [...new Set(by.map((c) => c.service))];
    const cell = services.length
      ? services.map((s) => `${s} (${[...new Set(by.filter((c) => c.service === s).map((c) => c.queue))].join(', ')})`)
      : ['—'];
    lines.push(`| [\`${name}\`](#${anchor(name)}) | ${catalogue[name].publishedBy} | ${cell.join('; ')} |`);
  }
  lines.push('', '## Events', '');
  for (const name of eventNames) {
    const schemaFile = `packages/contracts/src/events/${name}.ts`;
    lines.push(`### ${name}`, '');
    lines.push(`- Published by: **${catalogue[name].publishedBy}**`);
    lines.push(`- Schema: ${link(root, schemaFile)}, \`urn:convene:event:${name}:v${catalogue[name].version}\``);
    const fields = dataFields(name);
    if (fields) lines.push(`- Data: ${fields}`);
    const by = consumers.filter((c) => c.event === name);
    if (by.length === 0) {
      lines.push('- Consumed by: nobody', '');
      continue;
    }
    lines.push('', '| consumer | queue | handler | file | markers |', '|---|---|---|---|---|');
    for (const c of by) {
      lines.push(
        `| ${c.service} | \`${c.queue}\` | \`${c.handler}\` | ${link(root, c.file)} | ${MARKERS[c.markers]} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Services', '');
  for (const service of serviceNames(root)) {
    const publishes = eventNames.filter((name) => catalogue[name].publishedBy === service);
    const own = consumers.filter((c) => c.service === service);
    lines.push(`### ${service}`, '');
    lines.push(`- Publishes: ${publishes.length ? publishes.map((n) => `\`${n}\``).join(', ') : 'nothing'}`);
    if (own.length === 0) lines.push('- Consumes: nothing');
    for (const queue of [...new Set(own.map((c) => c.queue))]) {
      const keys = own.filter((c) => c.queue === queue).map((c) => `\`${c.event}\``);
      lines.push(`- Queue \`${queue}\`: ${keys.join(', ')}`);
    }
    lines.push('');
  }
  const unknown = consumers.filter((c) => !known.has(c.event));
  if (unknown.length) {
    lines.push('## Subscribed keys that are not in the catalogue', '');
    for (const c of unknown) lines.push(`- \`${c.event}\` in ${c.service}'s \`${c.queue}\` (${c.file})`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** GitHub's heading anchor for an event name (dots and underscores: dots dropped). */
function anchor(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_\- ]/g, '');
}

function main(): void {
  const root = repoRoot();
  const target = join(root, DOCUMENT_PATH);
  const text = renderCatalogue(root);
  const args = process.argv.slice(2);
  if (args.includes('--write')) {
    writeFileSync(target, text);
    console.log(`wrote ${DOCUMENT_PATH}`);
  } else if (args.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${DOCUMENT_PATH} is stale: run \`${REFRESH_COMMAND}\``);
      process.exit(1);
    }
  } else {
    process.stdout.write(text);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
