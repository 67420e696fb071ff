import type { Causes } from '@convene/domain-kit';
import { validationError } from '@convene/kit';
import { type EventChanges, validateEventChanges } from '../domain/event-rules.ts';
import { eventZoneName } from '../domain/event-zone.ts';
import { locationTerms, searchTerms } from '../domain/search-terms.ts';
import { quotaExceeded } from '../errors.ts';
import { returnCreationSlot, takeCreationSlot } from '../store/creation-quota.ts';
import type { EventDoc } from '../store/event-model.ts';
import { insertEvent, type NewEvent } from '../store/event-writes.ts';
import type { Actor, FlowContext } from './context.ts';

/**
 * POST /events: the caller hosts the new event, announced as event.created in the same insert.
 * Within the host's quota (ctx.quota: one conditional update admits it, across replicas); a
 * failed insert gives the slot back. Without an end, the event lasts ctx.defaultDurationMs;
 * without a zone, it is in the configured default.
 */
export async function createEvent(
  ctx: FlowContext,
  { host, changes }: { host: Pick<Actor, 'id' | 'name' | 'username' | 'email'>; changes: EventChanges },
  causes?: Causes,
): Promise<EventDoc> {
  const now = ctx.now();
  const input = { ...changes };
  if (input.start_time && !input.end_time) {
    input.end_time = new Date(input.start_time.getTime() + ctx.defaultDurationMs);
  }
  const errors = validateEventChanges(input, { now, requireAll: true });
  if (Object.keys(errors).length) throw validationError(errors);

  const slot = await takeCreationSlot(ctx.store, host.id, ctx.quota, now);
  if (!slot.ok) throw quotaExceeded(slot.retryAfterSec, ctx.quota);

  const title = input.title!.trim();
  const location = input.location!.trim();
  const description = input.description ?? '';
  // Validated above: every required field is there.
  const fields: NewEvent = {
    title,
    title_lc: title.toLowerCase(),
    description,
    location,
    search_terms: searchTerms({ title, location, description }),
    location_terms: locationTerms(location),
    host_id: host.id,
    host_name: host.name || host.username,
    host_email: host.email,
    start_time: input.start_time!,
    end_time: input.end_time!,
    // Validated above: a given zone is one the runtime knows.
    timezone: (input.timezone && eventZoneName(input.timezone)) || ctx.defaultTimeZone,
    max_participants: input.max_participants!,
    seats_left: input.max_participants!,
    visibility: input.visibility ?? 'public',
    is_active: input.is_active ?? true,
    requires_check_in: input.requires_check_in ?? false,
    waitlist_mode: input.waitlist_mode ?? 'auto',
    offer_window_hours: input.offer_window_hours ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    return await insertEvent(ctx.store, fields, now, causes);
  } catch (err) {
    await returnCreationSlot(ctx.store, host.id, slot.stamp);
    throw err;
  }
}
