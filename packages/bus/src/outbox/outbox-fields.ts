import { Schema } from 'mongoose';

/**
 * Add to the schema of every aggregate that announces its changes: `schema.add(outboxFields)`.
 * The envelopes sit in the document they describe, written by the same single-document update
 * as the change, so a change and its announcement are committed together or not at all.
 */
export const outboxFields = {
  /** Envelopes not yet confirmed by the broker, oldest first. */
  outbox: { type: [Schema.Types.Mixed], default: [] },
  /**
   * When the relay may next take this document: the write time while events wait, a lease end
   * while a relay works on it, null when nothing is pending.
   * Index: the relay's claim query `{outbox_at: {$lte: now}}` sorted by `outbox_at`.
   */
  outbox_at: { type: Date, default: null, index: true },
};
