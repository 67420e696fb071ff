import { modelOn } from '@convene/kit';
import { type Connection, type Model, Schema } from 'mongoose';

/** Who a user is (from user.* events), so sending never asks auth. */
export interface RecipientDoc {
  _id: string;
  email: string;
  name: string;
  username: string;
  status: string;
  /** Their own zone and locale from their profile (null: not set): their emails add the time there. */
  timezone: string | null;
  locale: string | null;
  /** `time` of the user.* event this state came from: an older event never overwrites a newer one. */
  as_of: Date;
}
const RecipientSchema = new Schema<RecipientDoc>(
  {
    _id: String,
    email: String,
    name: String,
    username: String,
    status: String,
    timezone: { type: String, default: null },
    locale: { type: String, default: null },
    as_of: Date,
  },
  { collection: 'recipients', versionKey: false },
);
// Invitations name the invitee by email: find their account for the inbox and preferences.
RecipientSchema.index({ email: 1 });

/** An event as the notifier last heard of it (event.* and the snapshots inside registration.*). */
export interface EventViewDoc {
  _id: string;
  title: string;
  description: string;
  host: { user_id: string | null; email: string; name: string };
  start_time: Date;
  end_time: Date;
  location: string;
  /** The event's IANA zone; views stored before zones existed have none and read as UTC. */
  timezone?: string;
  is_active: boolean;
  as_of: Date;
}
const EventViewSchema = new Schema<EventViewDoc>(
  {
    _id: String,
    title: String,
    description: String,
    host: { user_id: { type: String, default: null }, email: String, name: String },
    start_time: Date,
    end_time: Date,
    location: String,
    timezone: String,
    is_active: Boolean,
    as_of: Date,
  },
  { collection: 'events', versionKey: false },
);

/** One registration (from registration.*): who to tell when their event changes. */
export interface ParticipantDoc {
  /** The registration id. */
  _id: string;
  event_id: string;
  attendee: { user_id: string | null; email: string; name: string };
  status: 'confirmed' | 'waitlisted' | 'offered' | 'cancelled';
  as_of: Date;
}
const ParticipantSchema = new Schema<ParticipantDoc>(
  {
    _id: String,
    event_id: String,
    attendee: { user_id: { type: String, default: null }, email: String, name: String },
    status: String,
    as_of: Date,
  },
  { collection: 'participants', versionKey: false },
);
// Fan-out: the people of one event with a given status, in _id order (batches continue after the last _id).
ParticipantSchema.index({ event_id: 1, status: 1, _id: 1 });

/** What a person opted out of: `user:<id>` (settings) or `email:<address>` (unsubscribe link). */
export interface PreferenceDoc {
  _id: string;
  opted_out: string[];
  updated_at: Date;
}
const PreferenceSchema = new Schema<PreferenceDoc>(
  { _id: String, opted_out: { type: [String], default: [] }, updated_at: Date },
  { collection: 'preferences', versionKey: false },
);

export type RecipientModel = Model<RecipientDoc>;
export type EventViewModel = Model<EventViewDoc>;
export type ParticipantModel = Model<ParticipantDoc>;
export type PreferenceModel = Model<PreferenceDoc>;

export const recipientModel = (c: Connection): RecipientModel => modelOn(c, 'Recipient', RecipientSchema);
export const eventViewModel = (c: Connection): EventViewModel => modelOn(c, 'EventView', EventViewSchema);
export const participantModel = (c: Connection): ParticipantModel => modelOn(c, 'Participant', ParticipantSchema);
export const preferenceModel = (c: Connection): PreferenceModel => modelOn(c, 'Preference', PreferenceSchema);
