import type { AuthUser } from '@convene/kit';
import { type AppError, forbidden, notFound, requireUser } from '@convene/kit';
import type { Context } from 'hono';
import type { QuotaPolicy } from '../domain/creation-quota.ts';
import { canManage, canRead, type EventRole, roleOf } from '../domain/event-rules.ts';
import { viewerKeys } from '../domain/identity.ts';
import type { Causes } from '../store/announcements.ts';
import type { EventDoc } from '../store/event-model.ts';
import { findEvent } from '../store/event-queries.ts';
import type { MoveContext } from '../store/registration-moves.ts';
import { isInvitee, isParticipant } from '../store/registration-queries.ts';
import type { Store } from '../store/store.ts';

export interface HttpDeps {
  store: Store;
  /** The move context without per-request causes; `movesFor(c)` adds them. */
  moves: MoveContext;
  quota: QuotaPolicy;
  defaultDurationMs: number;
  /** The organizer address calendar files show to readers who may not see the host's. */
  calendarContactEmail: string;
  /** Publish what a request wrote now rather than at the relay's next poll. */
  nudge: () => void;
  now: () => Date;
}

/** Messages caused by a request carry its request id as correlation id. */
export function causesOf(c: Context): Causes {
  const requestId = c.get('requestId') as string | undefined;
  return requestId ? { correlationid: requestId } : {};
}

export function movesFor(c: Context, deps: HttpDeps): MoveContext {
  return { ...deps.moves, causes: causesOf(c) };
}

export const EVENT_NOT_FOUND = 'EVENT_NOT_FOUND';

export function eventNotFound(): AppError {
  return notFound('Not found.', EVENT_NOT_FOUND);
}

/** A user's role and keys for one event: the host, a co-host, or nobody special. */
export function roleIn(event: EventDoc, user: AuthUser | undefined): EventRole {
  if (!user) return null;
  const byId = roleOf(event, user.id);
  if (byId) return byId;
  return viewerKeys(user).some((key) => event.cohost_ids.includes(key)) ? 'cohost' : null;
}

/**
 * The event if the caller may read it. Invite-only events the caller may not see answer 404,
 * exactly like events that do not exist, so their existence does not leak.
 */
export async function readableEvent(
  c: Context,
  deps: HttpDeps,
  id: string,
): Promise<{ event: EventDoc; role: EventRole }> {
  const event = await findEvent(deps.store, id);
  if (!event) throw eventNotFound();
  const user = c.get('user') as AuthUser | undefined;
  const role = roleIn(event, user);
  if (event.visibility === 'invite_only' && !role) {
    const keys = user ? viewerKeys(user) : [];
    const allowed =
      !!user &&
      canRead(event, {
        userId: user.id,
        isParticipant: await isParticipant(deps.store, event._id, keys),
        isInvitee: await isInvitee(deps.store, event._id, user),
      });
    if (!allowed) throw eventNotFound();
  }
  return { event, role };
}

/** The event if the caller may change it: host or co-host (`hostOnly`: the host). 401/403/404. */
export async function managedEvent(
  c: Context,
  deps: HttpDeps,
  id: string,
  { hostOnly = false, message }: { hostOnly?: boolean; message?: string } = {},
): Promise<{ event: EventDoc; user: AuthUser; role: EventRole }> {
  const user = requireUser(c);
  const { event, role } = await readableEvent(c, deps, id);
  const allowed = hostOnly ? role === 'host' : canManage(event, user.id) || role !== null;
  if (!allowed) throw forbidden(message);
  return { event, user, role };
}
