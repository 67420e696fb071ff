import { validationError } from '@convene/kit';
import { viewerKeys } from '../domain/identity.ts';
import { type ListFilter, mergeRange, parseListQuery } from '../domain/list-filter.ts';
import type { EventDoc } from '../store/event-model.ts';
import { listEvents as listEventPage, listQuery, type Viewer } from '../store/event-queries.ts';
import { eventIdsReachableBy } from '../store/registration-queries.ts';
import type { Actor, FlowContext } from './context.ts';

export type EventList = 'all' | 'upcoming' | 'mine';

/** The list's query parameters as a filter (400 naming each bad one); /upcoming narrows it. */
export function listFilterFor(
  ctx: FlowContext,
  list: EventList,
  query: Record<string, string | undefined>,
): ListFilter {
  const parsed = parseListQuery(query, ctx.now());
  if (parsed.errors) throw validationError(parsed.errors);
  const filter: ListFilter = parsed.filter;
  if (list === 'upcoming') {
    filter.isActive = true;
    filter.start = mergeRange(filter.start, { gt: ctx.now() });
    if (!query.ordering) filter.ordering = { field: 'start_time', direction: 1 };
  }
  return filter;
}

/**
 * GET /events (public events and, signed in, the invite-only ones the user hosts, attends or is
 * invited to), /upcoming (the same, active and not started, soonest first unless ordered) and
 * /mine (hosted or co-hosted), with the list filters, search, ordering and a page.
 */
export async function listEvents(
  ctx: FlowContext,
  {
    list,
    filter,
    user,
    page,
  }: {
    list: EventList;
    filter: ListFilter;
    user: Pick<Actor, 'id' | 'email'> | undefined;
    page: { skip: number; limit: number };
  },
): Promise<{ count: number; results: EventDoc[] }> {
  if (list === 'mine') {
    const viewer = user ? { id: user.id, keys: viewerKeys(user) } : undefined;
    return listEventPage(ctx.store, listQuery(filter, { ...(viewer ? { viewer } : {}), only: 'mine' }), page);
  }
  const reader: Viewer | undefined = user
    ? { id: user.id, keys: viewerKeys(user), reachable: await eventIdsReachableBy(ctx.store, user) }
    : undefined;
  return listEventPage(ctx.store, listQuery(filter, reader ? { viewer: reader } : {}), page);
}
