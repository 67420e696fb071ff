/** What clients read in `detail`. */
export const Messages = {
  eventNotFound: 'Not found.',
  feedbackNotFound: 'You have not left feedback for this event.',
  duplicate: 'You have already left feedback for this event. Edit it with PUT /api/events/{id}/feedback/mine.',
  notRegistered: 'Only people who attended this event can leave feedback, and you were not registered for it.',
  notConfirmed:
    'Only people who attended this event can leave feedback, and your registration was not confirmed (waitlisted or offered).',
  cancelled: 'Only people who attended this event can leave feedback, and your registration was cancelled.',
  notCheckedIn: 'This event records attendance at check-in, and you were not checked in, so you cannot leave feedback.',
  eventCancelled: 'This event was cancelled, so no one can leave feedback for it.',
  notOpen: (opens: Date, when: 'start' | 'end') =>
    `Feedback opens when the event ${when === 'start' ? 'starts' : 'ends'}, at ${opens.toISOString()}.`,
  closed: (closed: Date) => `Feedback for this event closed at ${closed.toISOString()}.`,
  hostsOnly: 'Feedback on an invite-only event is visible to its hosts only.',
  rating: 'Rating must be a whole number from 1 to 5.',
  comment: (max: number) => `Ensure this field has no more than ${max} characters.`,
  busy: 'Your feedback is being changed by another request; try again.',
  deleted: 'Feedback deleted.',
  eventsUnavailable: 'The events service could not be reached to check your registration; try again.',
} as const;
