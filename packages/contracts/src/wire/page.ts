/**
 * DRF-style page envelope every list endpoint answers with. The OpenAPI schema of it is kit's
 * `page(item, name)`; the query (`page`, `page_size`) is kit's `PageQuery`, read by `pageParams`.
 */
export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };
