import type { Status } from '../domain/invitation-rules.ts';
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
  if (user.email) branches.push({ email: user.email.trim().toLowerCase() });
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
