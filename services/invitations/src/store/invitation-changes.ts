import { withOutbox } from '@convene/bus';
import type { DomainEvent } from '@convene/contracts';
import { duplicateKeyIndexes } from '@convene/kit';
import type { Reservation } from '../domain/invitation-rules.ts';
import { stillOpen } from './expiry.ts';
import type { InvitationDoc } from './invitation-model.ts';
import type { Store } from './store.ts';

/**
 * Every change of an invitation, each one conditional single-document update; those that announce
 * carry their envelope in the same update (the outbox in the document). Each answers whether it
 * applied, so the flow can say what happened instead.
 */

/**
 * New invitations, each with its invitation.sent already in its outbox, in one unordered insert.
 * Answers the positions the unique open_key refused (someone invited the same person meanwhile).
 */
export async function insertInvitations(store: Store, docs: InvitationDoc[]): Promise<Set<number>> {
  try {
    await store.invitations.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const refused = duplicateKeyIndexes(err);
    if (!refused) throw err;
    return new Set(refused);
  }
}

/** The answer (accepted | declined) and its message, while the invitation is still open. */
export async function recordAnswer(
  store: Store,
  id: string,
  now: Date,
  set: Partial<InvitationDoc>,
  message: DomainEvent<'invitation.accepted' | 'invitation.declined'>,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: id, ...stillOpen(now) },
    withOutbox({ $set: set }, [message], now),
  );
  return done.modifiedCount === 1;
}

/** Pending → cancelled with its invitation.cancelled. */
export async function withdrawPending(
  store: Store,
  id: string,
  now: Date,
  set: Partial<InvitationDoc>,
  message: DomainEvent<'invitation.cancelled'>,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: id, status: 'pending' },
    withOutbox({ $set: set }, [message], now),
  );
  return done.modifiedCount === 1;
}

/**
 * A resend: the count seen is part of the condition, so concurrent resends cannot pass the limit
 * together (one of them finds the count moved and tries again against what it is now).
 */
export async function recordResend(
  store: Store,
  inv: Pick<InvitationDoc, '_id' | 'resend_count'>,
  now: Date,
  set: Partial<InvitationDoc>,
  message: DomainEvent<'invitation.resent'>,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: inv._id, ...stillOpen(now), resend_count: inv.resend_count },
    withOutbox({ $set: set, $inc: { resend_count: 1 } }, [message], now),
  );
  return done.modifiedCount === 1;
}

/** A host's edit of a pending invitation (nothing is announced: the invitee's email already went). */
export async function editPending(store: Store, id: string, set: Partial<InvitationDoc>): Promise<boolean> {
  const done = await store.invitations.updateOne({ _id: id, status: 'pending' }, { $set: set });
  return done.modifiedCount === 1;
}

/** The reminder and its invitation.reminder_due, once: clearing `remind_at` is the condition's other half. */
export async function queueReminder(
  store: Store,
  inv: Pick<InvitationDoc, '_id' | 'remind_at'>,
  now: Date,
  message: DomainEvent<'invitation.reminder_due'>,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: inv._id, status: 'pending', remind_at: inv.remind_at },
    withOutbox({ $set: { remind_at: null, reminded_at: now } }, [message], now),
  );
  return done.modifiedCount === 1;
}

/** events' answer on an accepted invitation, unless a newer answer is recorded already. */
export async function recordReservationAnswer(
  store: Store,
  answer: { invitationId: string; reservation: Reservation; registrationId: string | null; at: Date },
  now: Date,
): Promise<boolean> {
  const done = await store.invitations.updateOne(
    {
      _id: answer.invitationId,
      status: 'accepted',
      $or: [{ reservation_at: null }, { reservation_at: { $lte: answer.at } }],
    },
    {
      $set: {
        reservation: answer.reservation,
        reservation_at: answer.at,
        ...(answer.registrationId ? { registration_id: answer.registrationId } : {}),
        updated_at: now,
      },
    },
  );
  return done.modifiedCount === 1;
}

/** An accepted co-host invitation whose invitee events made a co-host: done. */
export async function markCohostMade(store: Store, id: string, at: Date, now: Date): Promise<boolean> {
  const done = await store.invitations.updateOne(
    { _id: id, reservation: 'pending' },
    { $set: { reservation: 'confirmed', reservation_at: at, updated_at: now } },
  );
  return done.modifiedCount === 1;
}
