import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  consumersOf,
  DOCUMENT_PATH,
  importedNames,
  REFRESH_COMMAND,
  renderCatalogue,
  repoRoot,
  serviceNames,
  stripComments,
  subscriptionsIn,
} from '../scripts/events-catalogue.ts';
import { catalogue, eventNames } from '../src/catalogue.ts';

const root = repoRoot();

describe('docs/events-catalogue.md', () => {
  it('is what the generator makes of the catalogue and the subscriptions today', () => {
    const path = join(root, DOCUMENT_PATH);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    expect(current, `${DOCUMENT_PATH} is stale: run \`${REFRESH_COMMAND}\``).toBe(renderCatalogue(root));
  });
});

/** The event names a service's own code puts in `type:` — what it builds envelopes for. */
function typesBuiltBy(service: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const code = stripComments(readFileSync(path, 'utf8'));
        for (const match of code.matchAll(/\btype:\s*['"]([a-z_]+\.[a-z_]+)['"]/g)) {
          if ((eventNames as string[]).includes(match[1]!)) found.add(match[1]!);
        }
      }
    }
  };
  const src = join(root, 'services', service, 'src');
  if (existsSync(src)) walk(src);
  return found;
}

describe('publishedBy', () => {
  it.each(serviceNames(root))('%s builds envelopes for exactly the events declared for it', (service) => {
    const declared = eventNames.filter((name) => catalogue[name].publishedBy === service).sort();
    expect([...typesBuiltBy(service)].sort()).toEqual(declared);
  });
});

describe('consumers', () => {
  const consumers = consumersOf(root);
  const camelCase = (file: string) =>
    file
      .split('/')
      .at(-1)!
      .replace(/\.ts$/, '')
      .replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

  it('are found in every service that subscribes', () => {
    expect(new Set(consumers.map((c) => c.service))).toEqual(
      new Set(['events', 'feedback', 'invitations', 'notifier']),
    );
  });

  it.each(consumers.map((c) => [c.file, c]))(
    '%s handles one subscribed event, exports the camelCase of its name, and exists',
    (file, consumer) => {
      expect(existsSync(join(root, file))).toBe(true);
      expect(file).toMatch(/^services\/[a-z-]+\/src\/consumers\/[a-z0-9-]+-when-[a-z0-9-]+\.ts$/);
      expect(consumer.handler).toBe(camelCase(file));
      expect(consumers.filter((c) => c.file === file).map((c) => c.event)).toEqual([consumer.event]);
    },
  );
});

describe('reading subscriptions.ts', () => {
  const source = `
import type { ServiceParts } from '@convene/kit';
import { a, b as bee } from './two-handlers.ts';
import type { ConsumerDeps } from './deps.ts';
// import { ghost } from './commented-out.ts';
import { keyed } from './keyed.ts';
export async function subscribeAll(subscribe: ServiceParts['subscribe'], deps: ConsumerDeps) {
  await subscribe('first', {
    'x.one': a(deps), /* 'x.fake': ghost(deps), */
    'x.two': { handle: bee(deps), markers: false },
  });
  return [await subscribe("second", { 'x.three': { handle: keyed(deps), key: (e) => e.data.id } })];
}`;

  it('maps names, also renamed and multi-name imports, to modules and skips type-only imports', () => {
    const names = importedNames(stripComments(source));
    expect(Object.fromEntries(names)).toEqual({
      a: './two-handlers.ts',
      bee: './two-handlers.ts',
      keyed: './keyed.ts',
    });
  });

  it('lists each routing key of each subscribe call with its handler and marker policy, ignoring comments', () => {
    expect(subscriptionsIn(source)).toEqual([
      { purpose: 'first', event: 'x.one', handler: 'a', markers: 'envelope id' },
      { purpose: 'first', event: 'x.two', handler: 'bee', markers: 'none' },
      { purpose: 'second', event: 'x.three', handler: 'keyed', markers: 'own key' },
    ]);
  });
});
