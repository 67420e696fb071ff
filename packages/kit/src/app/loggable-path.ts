import type { Context } from 'hono';

const secretParam = /token|secret|password|key|code/i;

/**
 * The request path for logs and spans: path parameters whose names look like secrets
 * (`/set-password/:token`) are masked, since invitation and reset tokens travel in paths.
 */
export function loggablePath(c: Context): string {
  let route: string;
  let params: Record<string, string>;
  try {
    route = c.req.routePath;
    params = c.req.param() as Record<string, string>;
  } catch {
    return c.req.path;
  }
  if (!route?.includes('/:') || !Object.keys(params).some((name) => secretParam.test(name))) return c.req.path;
  return route
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment;
      const name = segment
        .slice(1)
        .replace(/\{.*\}$/, '')
        .replace(/\?$/, '');
      return secretParam.test(name) ? '[redacted]' : (params[name] ?? '');
    })
    .join('/');
}
