import type { MessageType } from '../domain/message-types.ts';
import type { EventFacts, TemplateData } from './catalogue.ts';

const event: EventFacts = {
  event_id: 'evt-example',
  title: 'Python Workshop',
  start_time: '2030-07-20T14:00:00.000Z',
  end_time: '2030-07-20T16:00:00.000Z',
  location: 'Kyiv, Hall A',
  url: 'http://127.0.0.1:8080/e/evt-example',
  timezone: 'Europe/Kyiv',
};
const invitation = {
  name: 'Ann Lee',
  host_name: 'Hugo Host',
  event,
  message: 'Bring a laptop <and> snacks',
  accept_url: 'http://127.0.0.1:8080/invite/example-token',
  expires_at: '2030-07-13T14:00:00.000Z',
  role: 'attendee' as const,
  is_vip: false,
};

/**
 * One valid data set per message type. Every template is rendered with its example at start
 * (so a broken template stops the boot, and the compiled form is ready before the first email)
 * and in the template tests.
 */
export const EXAMPLES: { [T in MessageType]: TemplateData<T> } = {
  'user-invited': {
    name: 'Ann Lee',
    username: 'ann',
    set_password_url: 'http://127.0.0.1:8080/set-password/example-token',
    expires_at: '2030-07-13T14:00:00.000Z',
    invited_by: 'Ada Admin',
    resend: false,
  },
  'invitation-sent': { ...invitation, resent: false },
  'invitation-reminder': invitation,
  'invitation-accepted': { name: 'Hugo Host', invitee_name: 'Ann Lee', invitee_email: 'ann@example.com', event },
  'invitation-declined': { name: 'Hugo Host', invitee_name: 'Ann Lee', invitee_email: 'ann@example.com', event },
  'registration-confirmed': { name: 'Ann Lee', event },
  'registration-promoted': { name: 'Ann Lee', event },
  'registration-waitlisted': { name: 'Ann Lee', event, position: 2 },
  'registration-offered': { name: 'Ann Lee', event, offer_expires_at: '2030-07-19T14:00:00.000Z' },
  'registration-cancelled': { name: 'Ann Lee', event, reason: 'you cancelled your registration' },
  'event-updated': { name: 'Ann Lee', event, changes: 'start time, place' },
  'event-cancelled': { name: 'Ann Lee', event, reason: 'The speaker is ill.' },
  'event-reminder': {
    name: 'Ann Lee',
    event,
    lead: 'in 24 hours',
    description: 'Hands-on Python.',
    host_name: 'Hugo Host',
    organizer_email: 'noreply@convene.example',
  },
  'feedback-submitted': { name: 'Hugo Host', event, author_name: 'Ann Lee', rating: 5, comment: 'Great!' },
};
