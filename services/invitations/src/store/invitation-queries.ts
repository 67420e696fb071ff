import { normaliseEmail } from '@convene/domain-kit';
import type { Status } from '../domain/invitation-rules.ts';
import { stillOpen } from './expiry.ts';
import type { InvitationDoc } from './invitation-model.ts';
import type { Store } from './store.ts';

/** Never hand the outbox or the token's traces to anyone but the flows that need them. */
export const PUBLIC_FIELDS = { outbox: 0, outbox_at: 0 } as const;

export function findInvitation(store: Store, id: string): Promise<InvitationDoc | null> {
  return store.invitations.findById(id, PUBLIC_FIELDS).lean<InvitationDoc>();
}

export function findByTokenHash(store: Store, tokenHash: string): Promise<InvitationDoc | null> {
  return store.invitations.findOne({ token_hash: tokenHash }, PUBLIC_FIELDS).lean<InvitationDoc>();
}

export async function listForEvent(
  store: Store,
  eventId: string,
  { status, skip, limit }: { status?: Status; skip: number; limit: number },
): Promise<{ count: number; results: InvitationDoc[] }> {
  const filter = status ? { event_id: eventId, status } : { event_id: eventId };
  const [count, results] = await Promise.all([
    store.invitations.countDocuments(filter),
    store.invitations
      .find(filter, PUBLIC_FIELDS)
      .sort({ created_at: -1, _id: 1 })
      .skip(skip)
      .limit(limit)
      .lean<InvitationDoc[]>(),
  ]);
  return { count, results };
}

/** The signed-in user's received invitations: addressed to their user id or to their account's email. */
export async function listReceived(
  store: Store,
  user: { id: string; email: string },
  { skip, limit }: { skip: number; limit: number },
): Promise<{ count: number; results: InvitationDoc[] }> {
  const filter = receivedFilter(user);
  const [count, results] = await Promise.all([
    store.invitations.countDocuments(filter),
    store.invitations
      .find(filter, PUBLIC_FIELDS)
      .sort({ created_at: -1, _id: 1 })
      .skip(skip)
      .limit(limit)
      .lean<InvitationDoc[]>(),
  ]);
  return { count, results };
}

export function receivedFilter(user: { id: string; email: string }) {
  const branches: Record<string, string>[] = [{ invitee_user_id: user.id }];
  if (user.email) branches.push({ email: normaliseEmail(user.email) });
  return { $or: branches };
}

/** Counts by status, computed by the database (the portable $match + $group subset). */
export async function countByStatus(store: Store, eventId: string): Promise<Record<string, number>> {
  const rows = await store.invitations.aggregate<{ _id: string; n: number }>([
    { $match: { event_id: eventId } },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  return Object.fromEntries(rows.map((row) => [row._id, row.n]));
}

/** Pending or accepted invitations of the event for these addresses: the "already invited" check of a send. */
export function openInvitationsTo(
  store: Store,
  eventId: string,
  emails: string[],
): Promise<Pick<InvitationDoc, '_id' | 'email' | 'status' | 'expires_at'>[]> {
  return store.invitations
    .find(
      { event_id: eventId, email: { $in: emails }, status: { $in: ['pending', 'accepted'] } },
      { email: 1, status: 1, expires_at: 1, _id: 1 },
    )
    .lean<Pick<InvitationDoc, '_id' | 'email' | 'status' | 'expires_at'>[]>();
}

/** A batch of the event's pending invitations (a closed event's clean-up works through them). */
export function pendingOfEvent(store: Store, eventId: string, limit: number): Promise<InvitationDoc[]> {
  return store.invitations
    .find({ event_id: eventId, status: 'pending' }, PUBLIC_FIELDS)
    .limit(limit)
    .lean<InvitationDoc[]>();
}

/** Accepted co-host invitations still waiting for events to make their invitee a co-host. */
export function cohostInvitationsAwaitingEvent(store: Store, eventId: string): Promise<InvitationDoc[]> {
  return store.invitations
    .find({ event_id: eventId, status: 'accepted', role: 'cohost', reservation: 'pending' }, PUBLIC_FIELDS)
    .lean<InvitationDoc[]>();
}

/** Pending invitations whose reminder is due (and that have not expired meanwhile). */
export function remindersDue(store: Store, now: Date, limit: number): Promise<InvitationDoc[]> {
  return store.invitations
    .find({ ...stillOpen(now), remind_at: { $ne: null, $lte: now } }, PUBLIC_FIELDS)
    .limit(limit)
    .lean<InvitationDoc[]>();
}

/** The event's invitations newest first, one at a time from a cursor, without the token's traces. */
export function invitationsForExport(store: Store, eventId: string): AsyncIterable<InvitationDoc> {
  return store.invitations
    .find({ event_id: eventId }, { ...PUBLIC_FIELDS, token_hash: 0, token_sealed: 0 })
    .sort({ created_at: -1 })
    .lean<InvitationDoc[]>()
    .cursor() as AsyncIterable<InvitationDoc>;
}
