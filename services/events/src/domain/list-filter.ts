import type { FieldErrors } from './event-rules.ts';
import { queryTerms } from './search-terms.ts';

/** A bound on a date field; several given bounds fold into the strictest of each kind. */
export interface DateRange {
  gte?: Date;
  gt?: Date;
  lte?: Date;
  lt?: Date;
}

export type OrderField = 'start_time' | 'created_at' | 'title';

/** The list query a client asked for, checked and normalised (the legacy APIs' names folded in, docs/api.md). */
export interface ListFilter {
  searchTerms?: string[];
  title?: string;
  locationTerms?: string[];
  hostId?: string;
  start: DateRange;
  end: DateRange;
  hasSpots?: boolean;
  isActive?: boolean;
  ordering: { field: OrderField; direction: 1 | -1 };
}

export const orderingChoices = ['start_time', 'created_at', 'title', 'date'] as const;

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

function parseBool(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  return undefined;
}

/**
 * A date (YYYY-MM-DD, the whole day in UTC) or an ISO date-time. `after` bounds include the day
 * or instant; `before` bounds include the whole day (as the legacy events API's "on or before") or the instant.
 */
function parseBound(raw: string, side: 'after' | 'before'): DateRange | undefined {
  const text = raw.trim();
  if (dateOnly.test(text)) {
    const day = new Date(`${text}T00:00:00.000Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) return undefined;
    return side === 'after' ? { gte: day } : { lt: new Date(day.getTime() + dayMs) };
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return undefined;
  return side === 'after' ? { gte: instant } : { lte: instant };
}

const later = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a < b ? a : b);

export function mergeRange(a: DateRange, b: DateRange): DateRange {
  const out: DateRange = {};
  const gte = later(a.gte, b.gte);
  const gt = later(a.gt, b.gt);
  const lte = earlier(a.lte, b.lte);
  const lt = earlier(a.lt, b.lt);
  if (gte) out.gte = gte;
  if (gt) out.gt = gt;
  if (lte) out.lte = lte;
  if (lt) out.lt = lt;
  return out;
}

/** Query parameters → ListFilter, or field errors naming every bad parameter. */
export function parseListQuery(
  query: Record<string, string | undefined>,
  now: Date,
): { filter: ListFilter; errors?: undefined } | { filter?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => {
    errors[field] = [...(errors[field] ?? []), message];
  };
  const filter: ListFilter = { start: {}, end: {}, ordering: { field: 'start_time', direction: 1 } };

  const text = (name: string) => {
    const value = query[name]?.trim();
    return value ? value : undefined;
  };

  const search = text('search');
  if (search) {
    const terms = queryTerms(search);
    if (terms.length) filter.searchTerms = terms;
  }
  const title = text('title');
  if (title) filter.title = title.toLowerCase();
  const location = text('location');
  if (location) {
    const terms = queryTerms(location);
    if (terms.length) filter.locationTerms = terms;
  }
  const host = text('host') ?? text('organizer');
  if (text('host') && text('organizer') && text('host') !== text('organizer')) {
    fail('organizer', 'Give host or organizer, not two different values.');
  }
  if (host) filter.hostId = host;

  const bounds: Array<[param: string, field: 'start' | 'end', side: 'after' | 'before']> = [
    ['date_after', 'start', 'after'],
    ['date_before', 'start', 'before'],
    ['start_after', 'start', 'after'],
    ['start_before', 'start', 'before'],
    ['start_time_after', 'start', 'after'],
    ['start_time_before', 'start', 'before'],
    ['end_after', 'end', 'after'],
    ['end_before', 'end', 'before'],
    ['end_time_after', 'end', 'after'],
    ['end_time_before', 'end', 'before'],
  ];
  for (const [param, field, side] of bounds) {
    const raw = text(param);
    if (raw === undefined) continue;
    const bound = parseBound(raw, side);
    if (!bound) fail(param, 'Enter a valid date (YYYY-MM-DD) or date-time (ISO 8601).');
    else filter[field] = mergeRange(filter[field], bound);
  }

  for (const [param, apply] of [
    ['has_spots', (v: boolean) => (filter.hasSpots = v)],
    ['is_active', (v: boolean) => (filter.isActive = v)],
    ['is_past', (v: boolean) => (filter.start = mergeRange(filter.start, v ? { lte: now } : { gt: now }))],
  ] as const) {
    const raw = text(param);
    if (raw === undefined) continue;
    const value = parseBool(raw);
    if (value === undefined) fail(param, 'Must be a valid boolean.');
    else apply(value);
  }

  const ordering = text('ordering');
  if (ordering) {
    const direction = ordering.startsWith('-') ? -1 : 1;
    const name = ordering.replace(/^[-+]/, '');
    if (!(orderingChoices as readonly string[]).includes(name)) {
      fail(
        'ordering',
        `Select a valid choice. ${ordering} is not one of: ${orderingChoices.flatMap((c) => [c, `-${c}`]).join(', ')}.`,
      );
    } else {
      filter.ordering = { field: name === 'date' ? 'start_time' : (name as OrderField), direction };
    }
  }

  return Object.keys(errors).length ? { errors } : { filter };
}
