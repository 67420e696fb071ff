import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { notFound } from '@convene/kit';
import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { OpenApiCatalog } from '../openapi/openapi-catalog.ts';
import type { GatewayEnv } from './gateway-env.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The browser assets come from the installed npm packages, not a CDN: the docs work offline,
 * behind a strict firewall, and show exactly the versions the lockfile pins.
 */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'swagger-ui-dist/swagger-ui.css': {
    file: () => join(packageDir('swagger-ui-dist'), 'swagger-ui.css'),
    type: 'text/css',
  },
  'swagger-ui-dist/swagger-ui-bundle.js': {
    file: () => join(packageDir('swagger-ui-dist'), 'swagger-ui-bundle.js'),
    type: 'text/javascript',
  },
  'redoc/redoc.standalone.js': {
    file: () => join(packageDir('redoc'), 'bundles', 'redoc.standalone.js'),
    type: 'text/javascript',
  },
};

// Swagger UI's page starts it with an inline script; ReDoc styles inline and searches in a blob worker.
const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** /api/openapi.json (merged), Swagger UI at /api/docs, ReDoc at /api/redoc. */
export function docsRoutes({ catalog }: { catalog: OpenApiCatalog }) {
  const app = new Hono<GatewayEnv>({ strict: false });
  const cache = new Map<string, Buffer>();

  app.get('/openapi.json', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(await catalog.document());
  });

  const swaggerPage = swaggerUI({
    title: 'Convene API — Swagger UI',
    url: '/api/openapi.json',
    baseUrl: '/api/docs/assets',
    persistAuthorization: true,
    displayRequestDuration: true,
  });
  app.get('/docs', async (c, next) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return swaggerPage(c as unknown as Parameters<typeof swaggerPage>[0], next);
  });

  app.get('/redoc', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Convene API — ReDoc</title>
  </head>
  <body>
    <redoc spec-url="/api/openapi.json"></redoc>
    <script src="/api/docs/assets/redoc/redoc.standalone.js"></script>
  </body>
</html>`);
  });

  app.get('/docs/assets/:package/:file', async (c) => {
    const name = `${c.req.param('package')}/${c.req.param('file')}`;
    const asset = ASSETS[name];
    if (!asset) throw notFound();
    let content = cache.get(name);
    if (!content) {
      content = await readFile(asset.file());
      cache.set(name, content);
    }
    return c.body(new Uint8Array(content), 200, {
      'Content-Type': `${asset.type}; charset=utf-8`,
      'Cache-Control': 'public, max-age=86400',
    });
  });

  return app;
}
