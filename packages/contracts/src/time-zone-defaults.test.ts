import { describe, expect, it } from 'vitest';
import { envelope } from './envelopes.ts';

const host = { user_id: 'u1', email: 'host@example.com', name: 'Host' };
const event = {
  event_id: 'e1',
  title: 'T',
  description: '',
  host,
  cohost_ids: [],
  start_time: '2026-12-10T17:23:00.000Z',
  end_time: '2026-12-10T19:00:00.000Z',
  location: 'Kyiv',
  max_participants: 10,
  visibility: 'public' as const,
  is_active: true,
  requires_check_in: false,
  waitlist_mode: 'auto' as const,
};

describe('fields added after version 1', () => {
  it('reads an event written before zones existed as UTC, and keeps a zone given', () => {
    expect(envelope({ type: 'event.created', source: 'events', subject: 'e1', data: event }).data.timezone).toBe('UTC');
    const kyiv = envelope({
      type: 'event.created',
      source: 'events',
      subject: 'e1',
      data: { ...event, timezone: 'Europe/Kyiv' },
    });
    expect(kyiv.data.timezone).toBe('Europe/Kyiv');
  });

  it('reads a user without a zone or locale as null', () => {
    const user = envelope({
      type: 'user.registered',
      source: 'auth',
      subject: 'u1',
      data: {
        user_id: 'u1',
        username: 'ann',
        email: 'a@b.co',
        first_name: '',
        last_name: '',
        role: 'user',
        status: 'active',
      },
    });
    expect(user.data).toMatchObject({ timezone: null, locale: null });
  });
});
