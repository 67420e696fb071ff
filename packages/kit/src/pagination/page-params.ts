import type { Context } from 'hono';
import { validationError } from '../errors/app-error.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageParams {
  page: number;
  page_size: number;
  /** For `.skip()` and `.limit()`. */
  skip: number;
  limit: number;
}

/**
 * `page` (from 1) and `page_size` (default 20) from the query string. A page_size above the
 * maximum is clamped to it, as DRF does; anything that is not a positive whole number is a 400.
 */
export function pageParams(
  c: Context,
  { maxPageSize = MAX_PAGE_SIZE, defaultPageSize = DEFAULT_PAGE_SIZE } = {},
): PageParams {
  const errors: Record<string, string[]> = {};
  const page = positiveInteger(c.req.query('page'), 1);
  const size = positiveInteger(c.req.query('page_size'), defaultPageSize);
  if (page === undefined) errors.page = ['A valid integer of at least 1 is required.'];
  if (size === undefined) errors.page_size = ['A valid integer of at least 1 is required.'];
  if (page === undefined || size === undefined) throw validationError(errors);
  const page_size = Math.min(size, maxPageSize);
  return { page, page_size, skip: (page - 1) * page_size, limit: page_size };
}

function positiveInteger(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\s*\d+\s*$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}
