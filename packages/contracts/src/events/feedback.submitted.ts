import { z } from 'zod';
import { Id, Person, Timestamp } from './common.ts';

/** Someone who attended left feedback; the notifier tells the host (title and address carried along). */
export const FeedbackSubmitted = z.object({
  feedback_id: Id,
  event_id: Id,
  /** The event's title and host when the feedback was left, so the notice needs no lookup. */
  event_title: z.string(),
  host: Person,
  author: Person.extend({ user_id: Id }),
  rating: z.number().int().min(1).max(5),
  comment: z.string(),
  submitted_at: Timestamp,
});
export type FeedbackSubmitted = z.infer<typeof FeedbackSubmitted>;
