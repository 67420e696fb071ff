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
  // Documented as what pageParams accepts: a whole number from 1 (a page past the last is 404).
  page: z
    .string()
    .optional()
    .openapi({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'Page number, from 1.' }),
  page_size: z.string().optional().openapi({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Items per page (default 20; more than 100 is 100).',
  }),
});
