import { randomUUID } from 'node:crypto';
import { type DomainEvent, envelope } from '@convene/contracts';

/** A valid envelope with a fresh id; `n` goes into the user id so tests can tell them apart. */
export function userActivated(n = 0): DomainEvent<'user.activated'> {
  return envelope({
    type: 'user.activated',
    source: 'auth',
    subject: `u${n}`,
    data: {
      user_id: `u${n}`,
      username: `user${n}`,
      email: `user${n}@example.com`,
      first_name: 'Ann',
      last_name: 'Example',
      role: 'user',
      status: 'active',
    },
    id: randomUUID(),
  });
}

export function userDeactivated(n = 0): DomainEvent<'user.deactivated'> {
  return envelope({
    type: 'user.deactivated',
    source: 'auth',
    subject: `u${n}`,
    data: {
      user_id: `u${n}`,
      username: `user${n}`,
      email: `user${n}@example.com`,
      first_name: 'Ann',
      last_name: 'Example',
      role: 'user',
      status: 'disabled',
    },
  });
}

/** An event type none of the bus tests subscribe to. */
export function feedbackSubmitted(n = 0): DomainEvent<'feedback.submitted'> {
  return envelope({
    type: 'feedback.submitted',
    source: 'feedback',
    subject: `f${n}`,
    data: {
      feedback_id: `f${n}`,
      event_id: 'e1',
      event_title: 'Launch',
      host: { user_id: 'u2', email: 'host@example.com', name: 'Host' },
      author: { user_id: 'u1', email: 'ann@example.com', name: 'Ann' },
      rating: 5,
      comment: '',
      submitted_at: new Date().toISOString(),
    },
  });
}
