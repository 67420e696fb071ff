import { type Method, ROUTES, type RouteRule } from './route-table.ts';

export type RouteMatch =
  | {
      kind: 'route';
      rule: RouteRule /** Path to send upstream, still percent-encoded, without the query. */;
      path: string;
    }
  /** Nothing is served there (404), or the path tries to reach what is never exposed. */
  | { kind: 'none'; reason: 'unknown' | 'malformed' | 'internal' };

interface CompiledRule {
  rule: RouteRule;
  segments: readonly string[];
  /** Position of each `:param` in `segments`, by name. */
  params: ReadonlyMap<string, number>;
  rest: boolean;
  methods: ReadonlySet<string> | undefined;
  rewrite: readonly string[] | undefined;
}

const NONE_UNKNOWN: RouteMatch = { kind: 'none', reason: 'unknown' };
const NONE_MALFORMED: RouteMatch = { kind: 'none', reason: 'malformed' };
const NONE_INTERNAL: RouteMatch = { kind: 'none', reason: 'internal' };

/**
 * Builds the matcher for a table of rules (the real one by default). Rules are bucketed by their
 * first two segments, so a request is compared only with the few rules that could match it.
 */
export function createRouteMatcher(rules: readonly RouteRule[] = ROUTES) {
  const buckets = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const compiled = compile(rule);
    const key = bucketKey(compiled.segments);
    if (key === undefined) throw new Error(`route ${rule.path} needs two literal leading segments`);
    const bucket = buckets.get(key) ?? [];
    bucket.push(compiled);
    buckets.set(key, bucket);
  }

  /** `rawPath` is the request path as it came on the wire: percent-encoded, no query string. */
  return function matchRoute(method: string, rawPath: string): RouteMatch {
    const split = splitPath(rawPath);
    if (split === undefined) return NONE_MALFORMED;
    if (split === 'internal') return NONE_INTERNAL;
    const { raw, decoded } = split;
    const bucket = buckets.get(bucketKey(decoded) ?? '');
    if (!bucket) return NONE_UNKNOWN;
    for (const candidate of bucket) {
      if (candidate.methods && !candidate.methods.has(method)) continue;
      if (!segmentsMatch(candidate, decoded)) continue;
      const path = candidate.rewrite ? fill(candidate, raw) : rawPath;
      return { kind: 'route', rule: candidate.rule, path };
    }
    return NONE_UNKNOWN;
  };
}

export type RouteMatcher = ReturnType<typeof createRouteMatcher>;

function compile(rule: RouteRule): CompiledRule {
  const segments = rule.path.split('/').slice(1);
  const rest = segments.at(-1) === '**';
  if (rest) segments.pop();
  const params = new Map<string, number>();
  segments.forEach((segment, index) => {
    if (segment.startsWith(':')) params.set(segment.slice(1), index);
  });
  const rewrite = rule.rewrite?.split('/').slice(1);
  for (const segment of rewrite ?? []) {
    if (segment.startsWith(':') && !params.has(segment.slice(1))) {
      throw new Error(`route ${rule.path} rewrites to ${rule.rewrite} with an unknown parameter ${segment}`);
    }
  }
  return {
    rule,
    segments,
    params,
    rest,
    methods: rule.methods ? new Set<string>(rule.methods) : undefined,
    rewrite,
  };
}

function bucketKey(segments: readonly string[]): string | undefined {
  const [first, second] = segments;
  if (first === undefined || second === undefined || first.startsWith(':') || second.startsWith(':')) return undefined;
  return `${first}/${second}`;
}

function segmentsMatch(candidate: CompiledRule, decoded: readonly string[]): boolean {
  const { segments, rest } = candidate;
  if (rest ? decoded.length < segments.length : decoded.length !== segments.length) return false;
  for (let i = 0; i < segments.length; i++) {
    const expected = segments[i]!;
    if (expected.charCodeAt(0) === 58 /* : */) continue;
    if (expected !== decoded[i]) return false;
  }
  return true;
}

function fill(candidate: CompiledRule, raw: readonly string[]): string {
  let path = '';
  for (const segment of candidate.rewrite!) {
    path += `/${segment.startsWith(':') ? raw[candidate.params.get(segment.slice(1))!] : segment}`;
  }
  return path;
}

/**
 * Splits a raw path into segments, once as sent and once decoded for matching. Refuses what a
 * router behind us might resolve differently from us: empty segments (`//`), dot segments (also
 * encoded as `%2e`), encoded slashes and backslashes, bad escapes. Any path whose first segment is
 * `internal` is never exposed, however it is spelled.
 */
function splitPath(rawPath: string): { raw: string[]; decoded: string[] } | 'internal' | undefined {
  if (rawPath.charCodeAt(0) !== 47 /* / */) return undefined;
  const end = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.length - 1 : rawPath.length;
  const raw = rawPath.slice(1, end).split('/');
  let decoded = raw;
  if (rawPath.includes('%')) {
    decoded = [];
    for (const segment of raw) {
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
      if (value.includes('/') || value.includes('\\')) return undefined;
      decoded.push(value);
    }
  }
  for (const segment of decoded) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\\')) return undefined;
  }
  if (decoded[0]?.toLowerCase() === 'internal') return 'internal';
  return { raw, decoded };
}

/** OpenAPI form of a rule path: `/api/user/:id/x` → `/api/user/{id}/x`. */
export function openApiPath(path: string): string {
  return path.replace(/\/\*\*$/, '').replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

export type { Method };
