import type { Page } from '@convene/contracts';
import type { Context } from 'hono';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import { type PageParams, pageParams } from './page-params.ts';
import { publicRequestUrl } from './request-url.ts';

/**
 * The DRF page envelope with absolute `next`/`previous` links that keep the other query
 * parameters. Like DRF, a page past the last one is a 404 "Invalid page.".
 */
export function pageOf<T>(
  c: Context,
  { count, results }: { count: number; results: T[] },
  params: PageParams = pageParams(c),
): Page<T> {
  const { page, page_size } = params;
  const lastPage = Math.max(1, Math.ceil(count / page_size));
  if (page > lastPage) throw new AppError(404, ErrorCode.INVALID_PAGE, 'Invalid page.');
  const link = (target: number) => {
    const url = publicRequestUrl(c);
    if (target === 1) url.searchParams.delete('page');
    else url.searchParams.set('page', String(target));
    return url.toString();
  };
  return {
    count,
    next: page < lastPage ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results,
  };
}
