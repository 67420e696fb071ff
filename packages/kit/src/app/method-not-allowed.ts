import { AppError, ErrorCode } from '../errors/app-error.ts';

/**
 * Which methods a path answers, from route templates (`/api/events/:id` or `/api/events/{id}`), so
 * a known path asked with another method is a 405 naming the ones it has (RFC 9110 §15.5.6), not a
 * 404 that reads as "no such resource". A literal segment beats a parameter, as in OpenAPI's path
 * matching: `/api/events/mine` is GET only even though `/api/events/{id}` also takes DELETE.
 * Paths match with or without a trailing slash, as the routes do.
 */
export interface AllowedMethods {
  /** The methods of the best template matching `path` (HEAD wherever GET is), or undefined for an unknown path. */
  of(path: string): string[] | undefined;
}

interface Template {
  segments: string[];
  literals: number;
  methods: Set<string>;
}

export function allowedMethods(routes: Iterable<{ path: string; method: string }>): AllowedMethods {
  const byPath = new Map<string, Template>();
  for (const { path, method } of routes) {
    const segments = splitPath(path).map((segment) => (isParameter(segment) ? '' : segment));
    const key = segments.join('/');
    let template = byPath.get(key);
    if (!template) {
      template = { segments, literals: segments.filter(Boolean).length, methods: new Set() };
      byPath.set(key, template);
    }
    template.methods.add(method.toUpperCase());
    if (method.toUpperCase() === 'GET') template.methods.add('HEAD');
  }
  const templates = [...byPath.values()].sort((a, b) => b.literals - a.literals);
  return {
    of(path) {
      const segments = splitPath(path);
      const template = templates.find((t) => matches(t.segments, segments));
      return template ? [...template.methods] : undefined;
    },
  };
}

/** The 405 problem, with the Allow header listing what the path does answer. */
export function methodNotAllowed(method: string, allowed: readonly string[]): AppError {
  return new AppError(405, ErrorCode.METHOD_NOT_ALLOWED, `Method "${method}" not allowed.`, {
    headers: { Allow: allowed.join(', ') },
  });
}

function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function isParameter(segment: string): boolean {
  return segment.startsWith(':') || (segment.startsWith('{') && segment.endsWith('}'));
}

function matches(template: string[], segments: string[]): boolean {
  if (template.length !== segments.length) return false;
  return template.every((literal, index) => literal === '' || literal === segments[index]);
}
