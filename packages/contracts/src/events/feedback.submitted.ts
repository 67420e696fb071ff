import { z } from 'zod';
import { Id, Person, Timestamp } from './common.ts';

export const FeedbackSubmitted = z.object({
  feedback_id: Id,
  event_id: Id,
  author: Person.extend({ user_id: Id }),
  rating: z.number().int().min(1).max(5),
  comment: z.string(),
  submitted_at: Timestamp,
});
export type FeedbackSubmitted = z.infer<typeof FeedbackSubmitted>;
