import { outboxFields } from '@convene/bus';
import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema, Types } from 'mongoose';
import type { TransitionKind } from '../domain/registration-states.ts';

export interface Cohost {
  user_id: string | null;
  email: string;
  name: string;
}

/** A registration move whose counter change has been applied to this event (step 2). */
export interface TxnEntry {
  id: string;
  reg: string;
  kind: TransitionKind;
  at: Date;
}

export interface EventDoc {
  _id: string;
  title: string;
  title_lc: string;
  description: string;
  location: string;
  search_terms: string[];
  location_terms: string[];
  host_id: string;
  host_name: string;
  host_email: string;
  cohosts: Cohost[];
  /** User ids (or `email:<address>` for invitees without an account) of the co-hosts. */
  cohost_ids: string[];
  start_time: Date;
  end_time: Date;
  /**
   * IANA zone the event is shown in; absent on events created before zones existed, which read
   * as the store's default (eventTimeZone). Only for showing: the instants above are what count.
   */
  timezone?: string;
  max_participants: number;
  visibility: 'public' | 'invite_only';
  is_active: boolean;
  requires_check_in: boolean;
  waitlist_mode: 'auto' | 'offer';
  offer_window_hours: number | null;
  seats_left: number;
  confirmed_count: number;
  bypass_count: number;
  held_count: number;
  waitlist_count: number;
  waitlist_seq: number;
  txns: TxnEntry[];
  /** Optimistic concurrency for edits of the event's own fields. */
  version: number;
  promo_until: Date | null;
  reminder_sent: boolean;
  /** Set with a start/end change, cleared once registrations carry the new times (recovery redoes it). */
  reg_sync_at: Date | null;
  /** Set when the host deletes the event; absent otherwise (the sparse index holds only deleted events). */
  deleted_at?: Date | null;
  created_at: Date;
  updated_at: Date;
  outbox: unknown[];
  outbox_at: Date | null;
}

const CohostSchema = new Schema<Cohost>(
  { user_id: { type: String, default: null }, email: String, name: String },
  { _id: false },
);

const TxnSchema = new Schema<TxnEntry>({ id: String, reg: String, kind: String, at: Date }, { _id: false });

export const EventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    title: { type: String, required: true },
    title_lc: { type: String, required: true },
    description: { type: String, default: '' },
    location: { type: String, default: '' },
    search_terms: { type: [String], default: [] },
    location_terms: { type: [String], default: [] },
    host_id: { type: String, required: true },
    host_name: { type: String, default: '' },
    host_email: { type: String, default: '' },
    cohosts: { type: [CohostSchema], default: [] },
    cohost_ids: { type: [String], default: [] },
    start_time: { type: Date, required: true },
    end_time: { type: Date, required: true },
    // No default: a missing zone means "the configured default", read at use (eventTimeZone).
    timezone: { type: String },
    max_participants: { type: Number, required: true },
    visibility: { type: String, enum: ['public', 'invite_only'], default: 'public' },
    is_active: { type: Boolean, default: true },
    requires_check_in: { type: Boolean, default: false },
    waitlist_mode: { type: String, enum: ['auto', 'offer'], default: 'auto' },
    offer_window_hours: { type: Number, default: null },
    seats_left: { type: Number, required: true },
    confirmed_count: { type: Number, default: 0 },
    bypass_count: { type: Number, default: 0 },
    held_count: { type: Number, default: 0 },
    waitlist_count: { type: Number, default: 0 },
    waitlist_seq: { type: Number, default: 0 },
    txns: { type: [TxnSchema], default: [] },
    version: { type: Number, default: 0 },
    promo_until: { type: Date, default: null },
    reminder_sent: { type: Boolean, default: false },
    reg_sync_at: { type: Date, default: null },
    deleted_at: { type: Date },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { collection: 'events', versionKey: false, minimize: false },
);
EventSchema.add(outboxFields);

// Lists sort by their ordering field, then `_id` to break ties, so the indexes that serve a list's
// order end in `_id`: the index then hands out a page already in order instead of every match
// being sorted in memory.
// List, upcoming and the public branch of the signed-in list: {visibility, start_time range} sorted by start_time.
EventSchema.index({ visibility: 1, start_time: 1, _id: 1 });
// List ordered by created_at (`ordering=created_at|-created_at`).
EventSchema.index({ visibility: 1, created_at: 1, _id: 1 });
// `title=` (exact, case-insensitive) and `ordering=title|-title`.
EventSchema.index({ visibility: 1, title_lc: 1, _id: 1 });
// `host=`/`organizer=`, mine (host branch), the signed-in list's own-events branch. A sorted `$or`
// comes out of the indexes in order only if every branch does, so the host and co-host branches
// have one index per ordering (start_time, created_at, title).
EventSchema.index({ host_id: 1, start_time: 1, _id: 1 });
EventSchema.index({ host_id: 1, created_at: 1, _id: 1 });
EventSchema.index({ host_id: 1, title_lc: 1, _id: 1 });
// mine (co-host branch), the signed-in list's co-hosted branch; one per ordering, as above.
EventSchema.index({ cohost_ids: 1, start_time: 1, _id: 1 });
EventSchema.index({ cohost_ids: 1, created_at: 1, _id: 1 });
EventSchema.index({ cohost_ids: 1, title_lc: 1, _id: 1 });
// `search=`: every query word must be a stored term.
EventSchema.index({ search_terms: 1 });
// `location=`: every query word must be a stored location term.
EventSchema.index({ location_terms: 1 });
// `has_spots=true|false`.
EventSchema.index({ seats_left: 1, start_time: 1 });
// `is_active=true|false`.
EventSchema.index({ is_active: 1, start_time: 1 });
// `end_after`/`end_before` and the cleanup of events that ended long ago.
EventSchema.index({ end_time: 1 });
// Reminder job: {reminder_sent: false, start_time <= now + lead}.
EventSchema.index({ reminder_sent: 1, start_time: 1 });
// Recovery: events holding a move older than the timeout.
EventSchema.index({ 'txns.at': 1 });
// Promotion sweep: {waitlist_count > 0, seats_left > 0}.
EventSchema.index({ waitlist_count: 1, seats_left: 1 });
// Purge of deleted events: {deleted_at: {$exists: true}}. Sparse, so it holds only deleted events
// and can never be chosen for the `deleted_at: null` every list query carries.
EventSchema.index({ deleted_at: 1 }, { sparse: true });
// Redo of an interrupted copy of new times onto registrations: {reg_sync_at < cutoff}.
EventSchema.index({ reg_sync_at: 1 });

export type EventModel = Model<EventDoc>;

export function eventModel(connection: Connection): EventModel {
  return modelOn<EventDoc, EventModel>(connection, 'Event', EventSchema);
}
