import type { FeedbackDoc } from '../store/models.ts';

export function feedbackView(feedback: FeedbackDoc) {
  return {
    id: feedback._id,
    event: feedback.event_id,
    user: feedback.user_id,
    user_name: feedback.user_name,
    rating: feedback.rating,
    comment: feedback.comment,
    created_at: feedback.created_at.toISOString(),
    updated_at: feedback.updated_at.toISOString(),
  };
}
