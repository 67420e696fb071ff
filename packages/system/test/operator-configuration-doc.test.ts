import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_PATH,
  fieldComments,
  loadConfiguration,
  REFRESH_COMMAND,
  renderConfiguration,
  repoRoot,
  SERVICES,
} from '../scripts/configuration-doc.ts';

const root = repoRoot();

describe('docs/configuration.md', () => {
  it("is what the generator makes of the services' Env schemas today", async () => {
    const path = join(root, DOCUMENT_PATH);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    expect(current, `${DOCUMENT_PATH} is stale: run \`${REFRESH_COMMAND}\``).toBe(
      renderConfiguration(await loadConfiguration(root)),
    );
  });

  it('documents every variable every service reads, each with a description', async () => {
    const configuration = await loadConfiguration(root);
    expect(configuration.map((c) => c.service)).toEqual(['base', ...SERVICES]);
    for (const { service, variables } of configuration) {
      expect(variables.length, service).toBeGreaterThan(0);
      const undocumented = variables.filter((v) => !v.description).map((v) => v.name);
      expect(undocumented, `${service}: variables without a comment or .describe() in their Env schema`).toEqual([]);
    }
  });

  it('knows a required variable from a defaulted or optional one', async () => {
    const auth = (await loadConfiguration(root)).find((c) => c.service === 'auth')!;
    const of = (name: string) => auth.variables.find((v) => v.name === name);
    expect(of('MONGO_URL')?.default).toBeNull();
    expect(of('ACCESS_TOKEN_TTL_MS')?.default).toBe('15m');
    expect(of('SIGNING_KEY_SECRET')?.default).toBeUndefined();
    expect(of('LOG_LEVEL')?.choices).toContain('debug');
  });

  it('takes the comment right above a field, JSDoc or line comments, never one further up', () => {
    const { byName } = fieldComments(
      [
        '/** The schema. */',
        'const X = z.object({',
        '  /** Seconds of A. */',
        '  A_MS: duration(1),',
        '  // Line one',
        '  // and two.',
        '  B: z.string(),',
        '',
        '  C: z.string(),',
        '});',
      ].join('\n'),
    );
    expect(byName.get('A_MS')).toBe('Seconds of A.');
    expect(byName.get('B')).toBe('Line one and two.');
    expect(byName.has('C')).toBe(false);
  });
});
