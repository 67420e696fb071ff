import type { DomainEvent } from '@convene/contracts';
import { isDuplicateKey } from '@convene/kit';
import { Types } from 'mongoose';
import type { SummaryDelta } from '../domain/summary.ts';
import type { FeedbackDoc, PendingChange } from './models.ts';
import type { Store } from './store.ts';

const HIDE = { outbox: 0 } as const;

export interface NewFeedback {
  event_id: string;
  user_id: string;
  user_name: string;
  user_email: string;
  rating: number;
  comment: string;
}

/**
 * Inserts the feedback with its summary change pending and its announcement in the outbox — one
 * document, one write. 'duplicate' when the person already has feedback for the event (the unique
 * index on event_id + user_id decides, so two concurrent first attempts cannot both win).
 */
export async function insertFeedback(
  store: Store,
  input: NewFeedback,
  delta: SummaryDelta,
  announce: (feedback: FeedbackDoc) => DomainEvent,
  now: Date,
): Promise<{ ok: true; feedback: FeedbackDoc } | { ok: false; reason: 'duplicate' }> {
  const feedback: FeedbackDoc = {
    _id: new Types.ObjectId().toHexString(),
    ...input,
    created_at: now,
    updated_at: now,
    version: 1,
    deleted_at: null,
    pending: { version: 1, delta, at: now },
    outbox: [],
    outbox_at: null,
  };
  try {
    await store.feedback.create({ ...feedback, outbox: [announce(feedback)], outbox_at: now });
  } catch (err) {
    if (isDuplicateKey(err)) return { ok: false, reason: 'duplicate' };
    throw err;
  }
  return { ok: true, feedback };
}

export function findMine(store: Store, eventId: string, userId: string): Promise<FeedbackDoc | null> {
  return store.feedback.findOne({ event_id: eventId, user_id: userId }, HIDE).lean<FeedbackDoc>();
}

export async function listForEvent(
  store: Store,
  eventId: string,
  { skip, limit }: { skip: number; limit: number },
): Promise<{ count: number; results: FeedbackDoc[] }> {
  const filter = { event_id: eventId, deleted_at: null };
  const [count, results] = await Promise.all([
    store.feedback.countDocuments(filter),
    store.feedback.find(filter, HIDE).sort({ created_at: -1, _id: -1 }).skip(skip).limit(limit).lean<FeedbackDoc[]>(),
  ]);
  return { count, results };
}

/**
 * Changes the rating/comment (or marks the feedback deleted) and records the summary change as
 * pending, in one conditional update: only from the version the caller read and only with no
 * earlier change still pending, so changes reach the summary one at a time and in order.
 * Null when the document moved on meanwhile (the caller reads again).
 */
export async function changeFeedback(
  store: Store,
  current: FeedbackDoc,
  set: { rating: number; comment: string } | { deleted_at: Date },
  delta: SummaryDelta,
  now: Date,
): Promise<FeedbackDoc | null> {
  const version = current.version + 1;
  const pending: PendingChange = { version, delta, at: now };
  const written = await store.feedback.findOneAndUpdate(
    { _id: current._id, version: current.version, pending: null, deleted_at: null },
    { $set: { ...set, version, pending, updated_at: now } },
    { projection: HIDE },
  );
  // The pre-image (the default) is exact on the test server; the new state is what we just wrote.
  return written ? ({ ...current, ...set, version, pending, updated_at: now } as FeedbackDoc) : null;
}

/** The change reached the summary: clear it, and remove a deleted feedback for good. */
export async function settleFeedback(store: Store, feedback: Pick<FeedbackDoc, '_id' | 'deleted_at'>, version: number) {
  if (feedback.deleted_at) {
    await store.feedback.deleteOne({ _id: feedback._id, version, 'pending.version': version });
  } else {
    await store.feedback.updateOne({ _id: feedback._id, 'pending.version': version }, { $set: { pending: null } });
  }
}

/** Feedback whose summary change has been pending since before `cutoff` (a crash mid-way). */
export function findUnsettled(store: Store, cutoff: Date, limit: number): Promise<FeedbackDoc[]> {
  return store.feedback
    .find({ 'pending.at': { $lte: cutoff } }, HIDE)
    .sort({ 'pending.at': 1 })
    .limit(limit)
    .lean<FeedbackDoc[]>();
}

export async function deleteFeedbackOf(store: Store, eventId: string): Promise<number> {
  const { deletedCount } = await store.feedback.deleteMany({ event_id: eventId });
  return deletedCount;
}

export async function deleteOne(store: Store, feedbackId: string): Promise<void> {
  await store.feedback.deleteOne({ _id: feedbackId });
}
