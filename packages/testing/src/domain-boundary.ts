import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Modules domain code may not load (STYLE.md: domain code does not import HTTP, mongoose or
 * amqplib, nor the packages wrapping them). An entry matches the module and its subpaths
 * (`hono` matches `hono/http-exception`); `@scope/*` matches the whole scope; a `node:` entry
 * also matches the bare built-in name (`node:http` matches `http`).
 */
export const IO_MODULES: readonly string[] = [
  'hono',
  '@hono/*',
  'mongoose',
  'mongodb',
  'bson',
  'amqplib',
  'undici',
  'nodemailer',
  'jose',
  '@node-rs/*',
  '@convene/kit',
  '@convene/bus',
  'node:child_process',
  'node:cluster',
  'node:dgram',
  'node:dns',
  'node:fs',
  'node:http',
  'node:http2',
  'node:https',
  'node:net',
  'node:tls',
  'node:worker_threads',
];

export interface ModuleReference {
  /** The module named, or null when it is computed (`import(name)`), which a check cannot clear. */
  specifier: string | null;
  kind: 'import' | 'export' | 'dynamic import' | 'require';
  line: number;
}

export interface DomainBoundaryOptions {
  /** Modules that may never be loaded. Default {@link IO_MODULES}. */
  forbidden?: readonly string[];
  /** When given, only modules it accepts may be loaded (e.g. relative paths and `node:` built-ins). */
  allowed?: (specifier: string) => boolean;
}

export interface DomainBoundaryReport {
  /** The domain source files read, relative to the folder (tests excluded). */
  files: string[];
  /** `file:line → specifier (kind)` for every module the domain may not load. */
  offenders: string[];
}

/**
 * Reads every non-test `.ts` file under `dir` and lists the modules they load that the boundary
 * forbids: static `import`/`export … from` (either quote), side-effect imports, `import()` and
 * `require()` (a computed specifier always offends). Throws when the folder holds no domain file,
 * so a moved folder cannot make the check pass by finding nothing.
 */
export function checkDomainBoundary(dir: string | URL, options: DomainBoundaryOptions = {}): DomainBoundaryReport {
  const root = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const forbidden = options.forbidden ?? IO_MODULES;
  const files = sourceFiles(root);
  if (files.length === 0) throw new Error(`no domain source files found in ${root}`);
  const offenders: string[] = [];
  for (const file of files) {
    for (const ref of moduleReferences(readFileSync(join(root, file), 'utf8'))) {
      const spec = ref.specifier;
      const offends =
        spec === null || isForbidden(spec, forbidden) || (options.allowed !== undefined && !options.allowed(spec));
      if (offends) offenders.push(`${file}:${ref.line} → ${spec ?? '<computed>'} (${ref.kind})`);
    }
  }
  return { files, offenders };
}

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !/\.(test|type-test)\.ts$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export function isForbidden(specifier: string, forbidden: readonly string[]): boolean {
  const bare = specifier.startsWith('node:') ? specifier.slice('node:'.length) : specifier;
  return forbidden.some((entry) => {
    if (entry.endsWith('/*')) return specifier.startsWith(entry.slice(0, -1));
    const names = entry.startsWith('node:') ? [entry, entry.slice('node:'.length)] : [entry];
    return names.some((name) => [specifier, bare].some((s) => s === name || s.startsWith(`${name}/`)));
  });
}

type Token =
  | { type: 'word'; value: string; line: number }
  | { type: 'string'; value: string; line: number }
  | { type: 'template'; value: string | null; line: number }
  | { type: 'punct'; value: string; line: number };

/** Every module a TypeScript/JavaScript source loads, in order. Comments and string contents are skipped. */
export function moduleReferences(source: string): ModuleReference[] {
  const tokens = tokenize(source);
  const refs: ModuleReference[] = [];
  const literal = (t: Token | undefined): string | null | undefined => {
    if (t?.type === 'string') return t.value;
    if (t?.type === 'template') return t.value;
    return undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'word') continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const member = prev?.type === 'punct' && (prev.value === '.' || prev.value === '?.');
    if (t.value === 'from' && next?.type === 'string') {
      refs.push({ specifier: next.value, kind: statementKind(tokens, i), line: next.line });
    } else if (t.value === 'import' && next?.type === 'string' && !member) {
      refs.push({ specifier: next.value, kind: 'import', line: next.line });
    } else if ((t.value === 'import' || t.value === 'require') && next?.type === 'punct' && next.value === '(') {
      if (t.value === 'import' && member) continue; // `import.meta` is not a call; `x.import(` is not the keyword
      const arg = tokens[i + 2];
      const after = tokens[i + 3];
      const value = literal(arg);
      const plain = value !== undefined && after?.type === 'punct' && (after.value === ')' || after.value === ',');
      refs.push({
        specifier: plain ? value : null,
        kind: t.value === 'import' ? 'dynamic import' : 'require',
        line: t.line,
      });
    }
  }
  return refs;
}

/** Whether the `from` at `index` closes an import or an export statement. */
function statementKind(tokens: Token[], index: number): 'import' | 'export' {
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === ';') break;
    if (t.type === 'word' && (t.value === 'import' || t.value === 'export')) return t.value;
  }
  return 'import';
}

/** Keywords after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

/**
 * A small lexer: words, string and template literals (a template with `${}` has a null value),
 * punctuation; comments and regular expression literals are dropped. Enough to find module
 * references without mistaking text in comments, strings or regexes for code.
 */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  // Brace depth per open `${`, so the `}` that closes a substitution resumes the template.
  const templateDepths: number[] = [];
  let depth = 0;

  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    if (last.type === 'word') return BEFORE_REGEX.has(last.value);
    if (last.type === 'punct') return ![')', ']', '}'].includes(last.value);
    return false;
  };

  /** At the character after a backtick, or (`tail`) after the `}` closing a substitution. */
  const readTemplate = (tail: boolean): void => {
    const start = line;
    let text = '';
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\') {
        text += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        tokens.push({ type: 'template', value: tail ? null : text, line: start });
        return;
      }
      if (c === '$' && source[i + 1] === '{') {
        i += 2;
        tokens.push({ type: 'template', value: null, line: start });
        templateDepths.push(depth);
        depth++;
        return;
      }
      if (c === '\n') line++;
      text += c;
      i++;
    }
  };

  while (i < source.length) {
    const c = source[i]!;
    const n = source[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && n === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && n === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      for (let k = i; k < stop; k++) if (source[k] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      const start = line;
      let text = '';
      i++;
      while (i < source.length && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\') {
          text += source[i + 1] ?? '';
          i += 2;
        } else {
          text += source[i];
          i++;
        }
      }
      i++;
      tokens.push({ type: 'string', value: text, line: start });
    } else if (c === '`') {
      i++;
      readTemplate(false);
    } else if (c === '/' && regexAllowed()) {
      let inClass = false;
      i++;
      while (i < source.length && source[i] !== '\n') {
        const r = source[i]!;
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < source.length && /[a-z]/i.test(source[i]!)) i++;
      tokens.push({ type: 'punct', value: 'regex', line });
    } else if (/[A-Za-z_$]/.test(c)) {
      let word = '';
      while (i < source.length && /[\w$]/.test(source[i]!)) word += source[i++];
      tokens.push({ type: 'word', value: word, line });
    } else if (/[0-9]/.test(c)) {
      while (i < source.length && /[\w.]/.test(source[i]!)) i++;
      tokens.push({ type: 'word', value: '0', line });
    } else if (c === '?' && n === '.') {
      tokens.push({ type: 'punct', value: '?.', line });
      i += 2;
    } else if (c === '{') {
      depth++;
      tokens.push({ type: 'punct', value: c, line });
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      if (templateDepths.length && templateDepths[templateDepths.length - 1] === depth) {
        templateDepths.pop();
        readTemplate(true);
      } else {
        tokens.push({ type: 'punct', value: c, line });
      }
    } else {
      tokens.push({ type: 'punct', value: c, line });
      i++;
    }
  }
  return tokens;
}
