import { type AllowedMethods, allowedMethods, type Logger } from '@convene/kit';
import { mergeOpenApi, type OpenApiDocument, type PathItem } from '../domain/merge-openapi.ts';
import { ROUTES } from '../domain/route-table.ts';
import { probeUpstream } from '../proxy/probe-upstream.ts';
import type { Upstreams } from '../proxy/upstreams.ts';

export interface CatalogOptions {
  upstreams: Upstreams;
  refreshMs: number;
  timeoutMs: number;
  logger: Logger;
  version: string;
  own: Record<string, PathItem>;
  /** After a failed fetch, try that service again this soon rather than after refreshMs. */
  retryMs?: number;
}

interface Entry {
  document?: OpenApiDocument;
  /** When the last attempt ended (success or not). */
  checkedAt: number;
  ok: boolean;
}

/**
 * Every service's /openapi.json, fetched on demand and kept for `refreshMs`; the merged document
 * is rebuilt only when one of them changed. A service that does not answer keeps its last good
 * document (or is left out and named in `info`), so one service down never takes the docs down.
 */
export function createOpenApiCatalog({
  upstreams,
  refreshMs,
  timeoutMs,
  logger,
  version,
  own,
  retryMs = 5_000,
}: CatalogOptions) {
  const entries = new Map<string, Entry>();
  const aliases = ROUTES.filter((rule) => rule.alias);
  let merged: OpenApiDocument | undefined;
  let refreshing: Promise<void> | undefined;
  let methods: { of: OpenApiDocument; index: AllowedMethods } | undefined;

  async function fetchDocument(name: keyof Upstreams): Promise<void> {
    const upstream = upstreams[name];
    const previous = entries.get(name);
    try {
      const { status, text } = await probeUpstream(upstream, '/openapi.json', {
        timeoutMs,
        accept: 'application/json',
      });
      if (status !== 200) throw new Error(`answered ${status}`);
      const document = JSON.parse(text) as OpenApiDocument;
      if (typeof document !== 'object' || document === null || typeof document.paths !== 'object') {
        throw new Error('answered something that is not an OpenAPI document');
      }
      if (!previous?.document || JSON.stringify(previous.document) !== JSON.stringify(document)) merged = undefined;
      entries.set(name, { document, checkedAt: Date.now(), ok: true });
    } catch (err) {
      if (previous?.ok !== false) logger.warn({ err, upstream: name }, 'cannot fetch the OpenAPI document');
      if (!previous?.document) merged = undefined;
      entries.set(name, { ...previous, checkedAt: Date.now(), ok: false });
    }
  }

  function stale(name: string, now: number): boolean {
    const entry = entries.get(name);
    if (!entry) return true;
    return now - entry.checkedAt > (entry.ok ? refreshMs : retryMs);
  }

  async function refresh(): Promise<void> {
    const now = Date.now();
    const due = (Object.keys(upstreams) as Array<keyof Upstreams>).filter((name) => stale(name, now));
    if (due.length === 0) return;
    refreshing ??= Promise.all(due.map(fetchDocument)).then(() => {
      refreshing = undefined;
    });
    await refreshing;
  }

  return {
    /** The merged document; waits for at most one round of fetches (each bounded by timeoutMs). */
    async document(): Promise<OpenApiDocument> {
      await refresh();
      if (!merged) {
        const services = [];
        const unavailable = [];
        for (const name of Object.keys(upstreams)) {
          const document = entries.get(name)?.document;
          if (document) services.push({ service: name, document });
          else unavailable.push(name);
        }
        merged = mergeOpenApi({ services, unavailable, aliases, own, version });
      }
      return merged;
    },

    /**
     * Which methods each documented path has, from the merged document. Once there is one, a
     * request never waits for a refresh: it reads the current document and a stale one is
     * refreshed behind it.
     */
    async allowedMethods(): Promise<AllowedMethods> {
      const next = this.document();
      const document = merged ?? (await next);
      if (merged) next.catch(() => {});
      if (methods?.of !== document) methods = { of: document, index: allowedMethods(operationsOf(document)) };
      return methods.index;
    },
  };
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function* operationsOf(document: OpenApiDocument): Iterable<{ path: string; method: string }> {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item)) if (METHODS.has(method)) yield { path, method };
  }
}

export type OpenApiCatalog = ReturnType<typeof createOpenApiCatalog>;
