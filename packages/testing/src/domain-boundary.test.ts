import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDomainBoundary, isForbidden, moduleReferences } from './domain-boundary.ts';

describe('moduleReferences', () => {
  it('finds static imports and exports with either quote, side-effect imports, import() and require()', () => {
    const source = [
      "import { Hono } from 'hono';",
      'import type { Connection } from "mongoose";',
      'import {',
      '  a,',
      '  b,',
      "} from './multi-line.ts';",
      "export { x } from 'amqplib';",
      'export * from "undici";',
      "import 'node:net';",
      "const m = await import('mongodb');",
      'const n = await import(`@hono/node-server`);',
      "const r = require('node:http');",
      'type T = typeof import("@convene/bus");',
    ].join('\n');
    expect(moduleReferences(source)).toEqual([
      { specifier: 'hono', kind: 'import', line: 1 },
      { specifier: 'mongoose', kind: 'import', line: 2 },
      { specifier: './multi-line.ts', kind: 'import', line: 6 },
      { specifier: 'amqplib', kind: 'export', line: 7 },
      { specifier: 'undici', kind: 'export', line: 8 },
      { specifier: 'node:net', kind: 'import', line: 9 },
      { specifier: 'mongodb', kind: 'dynamic import', line: 10 },
      { specifier: '@hono/node-server', kind: 'dynamic import', line: 11 },
      { specifier: 'node:http', kind: 'require', line: 12 },
      { specifier: '@convene/bus', kind: 'dynamic import', line: 13 },
    ]);
  });

  it('reports a computed import() or require() without a specifier', () => {
    const source = [
      'const a = await import(name);',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
      'const b = require(`${base}/x`);',
      "const c = import('a' + b);",
    ].join('\n');
    expect(moduleReferences(source)).toEqual([
      { specifier: null, kind: 'dynamic import', line: 1 },
      { specifier: null, kind: 'require', line: 2 },
      { specifier: null, kind: 'dynamic import', line: 3 },
    ]);
  });

  it('ignores comments, string contents, regular expressions, import.meta and members named like keywords', () => {
    const source = [
      "// import { Hono } from 'hono';",
      "/* const m = require('mongoose'); */",
      'const text = "from \'mongoose\'";',
      "const quoted = /['\"]from 'amqplib'/g;",
      'const ratio = total / count; // a division, then a comment',
      "const url = new URL('.', import.meta.url);",
      "const parts = Array.from('abc');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal
      "const t = `import('undici') ${ratio} from 'hono'`;",
      "const o = { from: 'mongodb', import: 'hono', require: 'amqplib' };",
      "import { ok } from './after-all-that.ts';",
    ].join('\n');
    expect(moduleReferences(source)).toEqual([{ specifier: './after-all-that.ts', kind: 'import', line: 10 }]);
  });
});

describe('isForbidden', () => {
  it('matches a module and its subpaths, whole scopes and node built-ins with or without the prefix', () => {
    const forbidden = ['hono', '@hono/*', 'node:http'];
    expect(isForbidden('hono', forbidden)).toBe(true);
    expect(isForbidden('hono/http-exception', forbidden)).toBe(true);
    expect(isForbidden('@hono/zod-openapi', forbidden)).toBe(true);
    expect(isForbidden('node:http', forbidden)).toBe(true);
    expect(isForbidden('http', forbidden)).toBe(true);
    expect(isForbidden('honorific', forbidden)).toBe(false);
    expect(isForbidden('node:https', forbidden)).toBe(false);
    expect(isForbidden('node:http2', forbidden)).toBe(false);
    expect(isForbidden('./hono.ts', forbidden)).toBe(false);
  });
});

describe('checkDomainBoundary', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const fixture = (files: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), 'domain-boundary-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it('catches a forbidden import in any domain file, also in a subfolder, and skips tests', () => {
    const root = fixture({
      'rules.ts': "import { quota } from './quota.ts';\nexport const rule = quota;\n",
      'quota.ts': 'export const quota = 5;\n',
      'deep/store.ts': 'export async function load() {\n  return import("mongoose");\n}\n',
      'rules.test.ts': "import { describe } from 'vitest';\nimport { Hono } from 'hono';\n",
    });
    const report = checkDomainBoundary(root);
    expect(report.files).toEqual(['deep/store.ts', 'quota.ts', 'rules.ts']);
    expect(report.offenders).toEqual(['deep/store.ts:2 → mongoose (dynamic import)']);
  });

  it('with an allow-list, refuses anything else, a computed specifier included', () => {
    const root = fixture({
      'a.ts': "import { createHash } from 'node:crypto';\nimport { z } from 'zod';\nimport './b.ts';\n",
      'b.ts': "const mod = 'x';\nexport const load = () => require(mod);\n",
    });
    const report = checkDomainBoundary(root, { allowed: (s) => s.startsWith('./') || s.startsWith('node:') });
    expect(report.offenders).toEqual(['a.ts:2 → zod (import)', 'b.ts:2 → <computed> (require)']);
  });

  it('fails when it finds no domain file at all', () => {
    const root = fixture({ 'only.test.ts': "import { it } from 'vitest';\n" });
    expect(() => checkDomainBoundary(root)).toThrow(`no domain source files found in ${root}`);
    expect(() => checkDomainBoundary(join(root, 'missing'))).toThrow(/ENOENT/);
  });
});
