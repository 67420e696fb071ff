import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, login, type SystemStack, startSystem } from '../src/index.ts';

describe('platform user invitations through the notifier: an admin creates an inactive user, the email arrives, its link sets the password', () => {
  let stack: SystemStack;
  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'notifier'] });
  });
  afterAll(async () => stack?.stop());

  it('the set-password link in the email works, and the user logs in with the new password', async () => {
    const admin = await adminSession(stack);
    const email = `invited-${Date.now()}@example.com`;
    const created = await stack.api.post(
      '/api/users',
      { email, username: `invited${Date.now()}`, first_name: 'Nia', last_name: 'New' },
      { token: admin.access },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const mail = await stack.smtp.waitFor((m) => m.to.includes(email), 20_000);
    expect(mail.subject).toBe('You have been invited to Convene: set your password');
    const link = mail.text.match(/http:\/\/127\.0\.0\.1:\d+\/set-password\/\S+/)?.[0];
    expect(link, mail.text).toBeDefined();
    expect(link!.startsWith(`${stack.url}/set-password/`)).toBe(true);
    expect(mail.html).toContain(`href="${link}"`);

    const page = await fetch(link!);
    expect(page.status).toBe(200);
    const password = 'Brand-New-Secret-42';
    const set = await fetch(link!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password, password2: password }).toString(),
    });
    const html = await set.text();
    expect(set.status, html).toBe(200);
    expect(html).toContain('Your password is set');

    const session = await login(stack.api, created.body.username, password);
    expect(session.user.email).toBe(email);
    expect(stack.smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);

    // The admin's delivery log shows it, sent once.
    const log = await stack.api.get(`/api/notifications/deliveries?recipient=${encodeURIComponent(email)}`, {
      token: admin.access,
    });
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(log.body.count).toBe(1);
    expect(log.body.results[0]).toMatchObject({ template: 'user-invited', status: 'sent', attempts: 1 });
  });
});
