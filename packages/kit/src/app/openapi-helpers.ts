import { z } from '@hono/zod-openapi';

/** An OpenAPI response of JSON with this schema (for `createRoute({ responses })`). */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required OpenAPI request body of JSON with this schema (for `createRoute({ request: { body } })`). */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** The wire shape of a paginated list (`{count, next, previous, results}`), named `name` in the document. */
export function page<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      count: z.number().int(),
      next: z.string().nullable(),
      previous: z.string().nullable(),
      results: z.array(item),
    })
    .openapi(name);
}

/** An optional OpenAPI request body of JSON with this schema: no body (or an empty one) is `{}`. */
export const optionalJsonBody = <S extends z.ZodType>(schema: S) => ({
  required: false,
  content: { 'application/json': { schema } },
});

/** The `{id}` path parameter every resource route takes. */
export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** OpenAPI `security` of a route for signed-in callers: a bearer token or the access-token cookie. */
export const signedIn: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** OpenAPI `security` of a route anyone may call, with more shown to signed-in callers. */
export const signedInOrAnonymous: Record<string, string[]>[] = [...signedIn, {}];

/** The query of every paginated list; `pageParams` reads it and answers 400/404 for bad pages. */
export const PageQuery = z.object({
  page: z.string().optional().openapi(pageNumber('Page number, from 1 (a page past the last one is 404).')),
  page_size: z.string().optional().openapi(pageNumber('Items per page (default 20; more than 100 is 100).')),
});

/** What pageParams accepts: a whole number from 1, or nothing (an empty value is the default). */
function pageNumber(description: string) {
  return {
    description,
    // Both kinds at the top, so the generated `type: string` does not rule the number out.
    type: ['integer', 'string'] as unknown as 'string',
    anyOf: [
      { type: 'integer' as const, minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      { type: 'string' as const, maxLength: 0 },
    ],
  };
}
