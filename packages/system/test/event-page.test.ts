import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, until } from './invitations-support.ts';
import { artifactsDir, type Browser, launchBrowser, lookAtBothWidths } from './support/browser.ts';

const ARTIFACTS = artifactsDir('event-page');

/**
 * Kyiv's next spring DST change: at 01:00 UTC on the last Sunday of March the clocks go from
 * 03:00 EET to 04:00 EEST, so 01:30 UTC is 04:30 local. A page that used a fixed offset, or the
 * winter one, would say 03:30.
 */
const KYIV_DST_START = '2027-03-28T01:30:00.000Z';
const KYIV_DST_END = '2027-03-28T03:30:00.000Z';
const KYIV_WHEN = 'Sun, 28 Mar 2027, 04:30 – 06:30 EEST';
const ANY_EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;

/** The public event page the emails link to, in a real browser, against the real services. */
describe('the event page in Chromium', () => {
  let stack: SystemStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
    browser = await launchBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows a Kyiv event at the DST change in Kyiv's time, with place, host's name and seats, no email, and a calendar file", async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, {
      title: 'Compilers & Coffee',
      description: 'Talks first, then coffee.',
      location: 'Kyiv, Hall A',
      start_time: KYIV_DST_START,
      end_time: KYIV_DST_END,
      timezone: 'Europe/Kyiv',
      max_participants: 12,
    });
    expect(event.timezone, 'the events API keeps the zone it was given').toBe('Europe/Kyiv');
    const anonymous = await stack.api.get(`/api/events/${event.id}`);
    expect(anonymous.status).toBe(200);
    const hostName = anonymous.body.host_name as string;
    expect(hostName).toBeTruthy();

    const page = await browser.context.newPage();
    const statuses = await lookAtBothWidths(page, `${stack.url}/e/${event.id}`, ARTIFACTS, '1-kyiv-event');
    expect(statuses).toEqual([200, 200]);
    expect(await page.title()).toBe('Compilers & Coffee — Convene');
    expect(await page.locator('h1').textContent()).toBe('Compilers & Coffee');
    const fact = (term: string) => page.locator(`dt:text-is("${term}") + dd`).textContent();
    expect(await fact('When')).toBe(KYIV_WHEN);
    expect(await fact('Where')).toBe('Kyiv, Hall A');
    expect(await fact('Host')).toBe(hostName);
    expect(await fact('Seats')).toBe('12 of 12 seats left');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Talks first, then coffee.');
    expect(text).not.toContain(host.person.email);
    expect(text).not.toMatch(ANY_EMAIL);
    // What the gateway serves (the check above ran axe as an injected script): no script, and a CSP allowing none.
    const served = await page.request.get(page.url());
    expect(served.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(served.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await served.text()).not.toMatch(/<script/i);

    const calendar = page.getByRole('link', { name: 'Add to calendar' });
    const href = await calendar.getAttribute('href');
    expect(href).toBe(`/api/events/${event.id}/calendar.ics`);
    const ics = await page.request.get(new URL(href!, page.url()).href);
    expect(ics.status()).toBe(200);
    expect(ics.headers()['content-type']).toMatch(/^text\/calendar\b/);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await page.close();
  }, 120_000);

  it('shows a private event as private, 404 like an unknown id, to anyone not invited; an invitee signed in sees it', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, {
      title: 'Secret supper',
      location: 'Somewhere quiet',
      visibility: 'invite_only',
      timezone: 'Europe/Kyiv',
      start_time: KYIV_DST_START,
      end_time: KYIV_DST_END,
    });
    const page = await browser.context.newPage();

    const hidden = await lookAtBothWidths(page, `${stack.url}/e/${event.id}`, ARTIFACTS, '2-private-event');
    expect(hidden).toEqual([404, 404]);
    expect(await page.locator('h1').textContent()).toBe('Event not found');
    expect(await page.locator('.state').textContent()).toContain('It may be a private event');
    const shown = (await page.locator('main').textContent()) ?? '';
    expect(shown).not.toContain('Secret supper');
    expect(shown).not.toContain('Somewhere quiet');

    const unknown = await lookAtBothWidths(page, `${stack.url}/e/no-such-event-${Date.now()}`, ARTIFACTS, '3-unknown');
    expect(unknown).toEqual([404, 404]);
    expect(await page.locator('h1').textContent()).toBe('Event not found');

    // An invitee with an account: events learns of the invitation from invitation.sent.
    const guest = await signUp(stack.api);
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [guest.person.email] },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    await until(
      () => stack.api.get(`/api/events/${event.id}`, { token: guest.token }),
      (r) => r.status === 200,
    );
    await browser.context.addCookies([{ name: 'access_token', value: guest.token, url: stack.url }]);
    try {
      const invited = await lookAtBothWidths(page, `${stack.url}/e/${event.id}`, ARTIFACTS, '4-private-invitee');
      expect(invited).toEqual([200, 200]);
      expect(await page.locator('h1').textContent()).toBe('Secret supper');
      expect(await page.locator('.state').first().textContent()).toContain('Private event');
      expect(await page.locator('dt:text-is("When") + dd').textContent()).toBe(KYIV_WHEN);
    } finally {
      await browser.context.clearCookies();
    }
    await page.close();
  }, 120_000);
});
