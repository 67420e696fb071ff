import { openApiPath } from './match-route.ts';
import type { RouteRule } from './route-table.ts';

// A loose view of OpenAPI 3.x: the merge only needs paths, components, tags and $ref strings.
export type JsonObject = { [key: string]: unknown };
export interface OpenApiDocument extends JsonObject {
  openapi?: string;
  info?: JsonObject;
  paths?: Record<string, PathItem>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string } & JsonObject>;
}
export type PathItem = Record<string, unknown>;
type Operation = JsonObject & { parameters?: unknown[]; operationId?: string; summary?: string };

export interface ServiceDocument {
  service: string;
  document: OpenApiDocument;
}

export interface MergeInput {
  /** Documents of the services that answered, in a fixed order (the first keeps a contested name). */
  services: ServiceDocument[];
  /** Services whose document could not be had; named in `info` so a reader knows what is missing. */
  unavailable: string[];
  /** Rules that are aliases; each becomes a deprecated operation. */
  aliases: readonly RouteRule[];
  /** The gateway's own operations. */
  own: Record<string, PathItem>;
  version: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Service plumbing that is not part of the public API, whatever a service documents. */
const HIDDEN = [/^\/internal(\/|$)/, /^\/openapi\.json$/, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/];

/**
 * One OpenAPI 3.1 document out of every service's own. Paths are unioned (a path two services
 * document keeps the first one's operation for a method both define). A component name two services
 * use for different things is renamed in the later one (`Problem` → `EventsProblem`) and that
 * service's `$ref`s follow, so no service's schema silently replaces another's.
 */
export function mergeOpenApi({ services, unavailable, aliases, own, version }: MergeInput): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, { name: string } & JsonObject>();

  for (const { service, document: original } of services) {
    const document = renameClashingComponents(structuredClone(original), service, components);
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      const target = entry(components, section);
      for (const [name, value] of Object.entries(entries ?? {})) {
        if (!(name in target)) target[name] = value;
      }
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (HIDDEN.some((hidden) => hidden.test(path))) continue;
      const merged = entry(paths, path);
      for (const [key, value] of Object.entries(item)) {
        if (key in merged) continue;
        merged[key] = METHODS.includes(key) ? { ...(value as Operation), 'x-service': service } : value;
      }
    }
    for (const tag of document.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }

  const securitySchemes = entry(components, 'securitySchemes');
  if (Object.keys(securitySchemes).length === 0) {
    securitySchemes.bearerAuth = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
  }
  const security = Object.keys(securitySchemes).map((name) => ({ [name]: [] }));

  for (const rule of aliases) addAlias(rule, paths, components, security);
  for (const [path, item] of Object.entries(own)) paths[path] = { ...item, ...paths[path] };

  const names = services.map((s) => s.service);
  const missing = unavailable.length ? ` Not included right now (service unreachable): ${unavailable.join(', ')}.` : '';
  return {
    openapi: '3.1.0',
    info: {
      title: 'Convene API',
      version,
      description:
        `The public API of Convene, merged by the gateway from the documents of: ${names.join(', ') || 'no service'}.` +
        ' Deprecated operations are path aliases kept for clients written against older APIs.' +
        missing,
      'x-unavailable-services': unavailable,
    },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components,
    tags: [...tags.values()],
  };
}

function addAlias(
  rule: RouteRule,
  paths: Record<string, PathItem>,
  components: Record<string, Record<string, unknown>>,
  security: Array<Record<string, never[]>>,
): void {
  const alias = rule.alias;
  if (!alias) return;
  const aliasPath = openApiPath(rule.path);
  const methods = (rule.methods ?? [alias.method]).filter((m) => m !== 'HEAD').map((m) => m.toLowerCase());
  const existingKey = findPath(paths, aliasPath);
  const item = entry(paths, existingKey ?? aliasPath);
  const canonicalKey = findPath(paths, alias.path);
  const canonicalItem = canonicalKey ? paths[canonicalKey] : undefined;
  const canonical = canonicalItem?.[alias.method.toLowerCase()] as Operation | undefined;
  const pathParams = [...aliasPath.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const note = `Deprecated alias of \`${alias.method} ${alias.path}\`, kept for clients of the ${alias.keeps}.`;
  // `legacy user-invitation API` → `legacy_user_invitation`: the alias's operationId stays a plain identifier.
  const suffix = alias.keeps.replace(/ API$/, '').replace(/[^a-z]+/g, '_');

  for (const method of methods) {
    const existing = item[method] as Operation | undefined;
    if (existing) {
      // The owning service documents the alias itself (it answers in the legacy API's shape): keep its words.
      item[method] = { ...existing, deprecated: true };
      continue;
    }
    if (canonical) {
      const inherited = [
        ...((canonicalItem?.parameters as unknown[] | undefined) ?? []),
        ...(canonical.parameters ?? []),
      ];
      const otherParams = inherited.filter((p) => resolveParameter(p, components)?.in !== 'path');
      item[method] = {
        ...structuredClone(canonical),
        operationId: `${canonical.operationId ?? `${alias.method.toLowerCase()}_${alias.path}`}__${suffix}_alias`,
        summary: `${canonical.summary ?? `${alias.method} ${alias.path}`} (alias)`,
        description: note,
        parameters: [...pathParams, ...otherParams],
        deprecated: true,
      };
      continue;
    }
    item[method] = {
      summary: `${alias.method} ${alias.path} (alias)`,
      description: `${note} The ${rule.upstream} service's document is not available right now.`,
      ...(pathParams.length ? { parameters: pathParams } : {}),
      ...(rule.access === 'protected' ? { security } : {}),
      responses: { default: { description: `As \`${alias.method} ${alias.path}\`.` } },
      deprecated: true,
      'x-service': rule.upstream,
    };
  }
}

/** `record[key]`, created empty when absent. */
function entry<T extends Record<string, unknown>>(record: Record<string, T>, key: string): T {
  let value = record[key];
  if (value === undefined) {
    value = {} as T;
    record[key] = value;
  }
  return value;
}

/** The key under which `path` is documented, ignoring parameter names and a trailing slash. */
function findPath(paths: Record<string, PathItem>, path: string): string | undefined {
  const shape = pathShape(path);
  if (path in paths) return path;
  return Object.keys(paths).find((key) => pathShape(key) === shape);
}

function pathShape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/$/, '$1');
}

function resolveParameter(param: unknown, components: Record<string, Record<string, unknown>>): JsonObject | undefined {
  if (typeof param !== 'object' || param === null) return undefined;
  const ref = (param as JsonObject).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/parameters/', '');
    return components.parameters?.[name] as JsonObject | undefined;
  }
  return param as JsonObject;
}

function renameClashingComponents(
  document: OpenApiDocument,
  service: string,
  merged: Record<string, Record<string, unknown>>,
): OpenApiDocument {
  const renames = new Map<string, string>();
  const prefix = service.charAt(0).toUpperCase() + service.slice(1);
  for (const [section, entries] of Object.entries(document.components ?? {})) {
    // Security schemes are referenced by name, not $ref: a clash keeps the first definition.
    if (section === 'securitySchemes') continue;
    for (const [name, value] of Object.entries(entries ?? {})) {
      const existing = merged[section]?.[name];
      if (existing === undefined || canonicalJson(existing) === canonicalJson(value)) continue;
      let renamed = `${prefix}${name}`;
      for (let n = 2; merged[section]?.[renamed] !== undefined || entries[renamed] !== undefined; n++) {
        renamed = `${prefix}${name}${n}`;
      }
      entries[renamed] = value;
      delete entries[name];
      renames.set(`#/components/${section}/${name}`, `#/components/${section}/${renamed}`);
    }
  }
  if (renames.size === 0) return document;
  return rewriteRefs(document, renames) as OpenApiDocument;
}

function rewriteRefs(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renames));
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof inner === 'string' ? (renames.get(inner) ?? inner) : rewriteRefs(inner, renames);
  }
  return out;
}

/** JSON with sorted keys, so two equal schemas compare equal whatever order their keys came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
