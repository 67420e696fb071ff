import { describe, expect, it } from 'vitest';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token.ts';

describe('unsubscribe tokens', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';

  it('reads back what it signed', () => {
    const token = unsubscribeToken(secret, 'ann@example.com', 'reminders');
    expect(readUnsubscribeToken(secret, token)).toEqual({ email: 'ann@example.com', category: 'reminders' });
  });

  it('refuses a token signed with another secret or changed', () => {
    const token = unsubscribeToken(secret, 'ann@example.com', 'reminders');
    expect(readUnsubscribeToken(`${secret}x`, token)).toBeNull();
    const forged = `${Buffer.from(JSON.stringify(['bob@example.com', 'reminders'])).toString('base64url')}.${token.split('.')[1]}`;
    expect(readUnsubscribeToken(secret, forged)).toBeNull();
    expect(readUnsubscribeToken(secret, 'garbage')).toBeNull();
  });
});
