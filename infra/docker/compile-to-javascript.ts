// Turns a `pnpm deploy` output of one service into JavaScript, in place: the service's own files and
// every workspace package injected under node_modules. Node refuses to strip types from files under
// node_modules, and stripping at start costs every process its type stripper (+17 MB resident), so
// the build does once what Node would do at each start, with Node's own stripper: the same
// transform, the same semantics (the code is erasable TypeScript only), and — since stripping only
// blanks the types out — the same line and column in every stack trace as in the sources.
//
//   node infra/docker/compile-to-javascript.ts OUTDIR
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node infra/docker/compile-to-javascript.ts OUTDIR');
  process.exit(2);
}

/** Relative module specifiers naming a .ts file, in static imports, re-exports and import(). */
const RELATIVE_TS_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"\n]*?)\.([mc]?)ts\2/g;

/** Files a running service never reads. */
const NOT_SHIPPED = new Set(['test', '.turbo', 'tsconfig.json', 'vitest.config.ts', 'biome.json']);

/**
 * pnpm injects workspace packages as hard links to the workspace's own files: writing into one
 * would change the source tree too. A new file in its place leaves the original alone.
 */
function replaceFile(path: string, text: string): void {
  rmSync(path, { force: true });
  writeFileSync(path, text);
}

function toJavaScript(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' }).replace(
    RELATIVE_TS_SPECIFIER,
    (_match, lead: string, quote: string, path: string, kind: string) => `${lead}${quote}${path}.${kind}js${quote}`,
  );
}

function compileTree(dir: string): number {
  let files = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (NOT_SHIPPED.has(name) || name.endsWith('.test.ts')) {
      rmSync(path, { recursive: true, force: true });
      continue;
    }
    if (statSync(path).isDirectory()) {
      files += compileTree(path);
    } else if (/\.[mc]?ts$/.test(name) && !name.endsWith('.d.ts')) {
      replaceFile(path.replace(/ts$/, 'js'), toJavaScript(readFileSync(path, 'utf8')));
      rmSync(path);
      files += 1;
    }
  }
  return files;
}

/** package.json names its entry points (exports, scripts) by their .ts files. */
function pointManifestAtJavaScript(dir: string): void {
  const file = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const renamed = JSON.stringify(manifest, (_key, value) =>
    typeof value === 'string' ? value.replace(/(\.\/|\bsrc\/)([\w./-]*?)\.([mc]?)ts\b/g, '$1$2.$3js') : value,
  );
  replaceFile(file, `${JSON.stringify(JSON.parse(renamed), null, 2)}\n`);
}

/**
 * The workspace packages pnpm injected: real copies under node_modules/.pnpm/@convene+<name>@file+.../,
 * beside links to their own dependencies (lstat: a link is not a copy).
 */
function injectedWorkspacePackages(root: string): string[] {
  const store = join(root, 'node_modules', '.pnpm');
  return readdirSync(store)
    .filter((entry) => entry.startsWith('@convene+'))
    .flatMap((entry) => {
      const scope = join(store, entry, 'node_modules', '@convene');
      return readdirSync(scope)
        .map((name) => join(scope, name))
        .filter((path) => lstatSync(path).isDirectory());
    });
}

let files = 0;
for (const dir of [out, ...injectedWorkspacePackages(out)]) {
  files += compileTree(dir);
  pointManifestAtJavaScript(dir);
}
rmSync(join(out, 'pnpm-lock.yaml'), { force: true });
console.error(`[build] ${files} TypeScript files stripped to JavaScript in ${out}`);
