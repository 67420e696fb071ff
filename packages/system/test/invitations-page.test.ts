import { TestClock } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, until } from './invitations-support.ts';
import { artifactsDir, type Browser, launchBrowser, lookAtBothWidths, openAt } from './support/browser.ts';

const ARTIFACTS = artifactsDir('invitations-page');

/** Kyiv's next spring DST change (01:00 UTC, 03:00 EET → 04:00 EEST): 01:30 UTC is 04:30 local. */
const KYIV_WHEN = 'Sun, 28 Mar 2027, 04:30 – 06:30 EEST';

/** The invitation page the email links to, in a real browser, against the real services. */
describe('the invitation page in Chromium', () => {
  let stack: SystemStack;
  let browser: Browser;
  const clock = new TestClock();

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'], now: clock.now });
    browser = await launchBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows the event in its zone with its end and the host's name; accepting says you have a seat, declining and an expired link say so", async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, {
      title: 'Launch party',
      location: 'Kyiv, Hall A',
      timezone: 'Europe/Kyiv',
      start_time: '2027-03-28T01:30:00.000Z',
      end_time: '2027-03-28T03:30:00.000Z',
    });
    expect(event.timezone, 'the events API keeps the zone it was given').toBe('Europe/Kyiv');
    const hostName = event.host_name as string;
    expect(hostName).toBeTruthy();
    const tag = Date.now().toString(36);
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      {
        emails: [`page.${tag}@example.com`, `no.${tag}@example.com`, `late.${tag}@example.com`],
        message: 'Bring a friend!',
      },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [guest, declining, late] = sent.body.created as Array<{ id: string }>;
    // The link as the notifier builds it, from the sealed token invitation.sent carries.
    const link = `${stack.url}/invite/${await tokenFor(stack, guest!.id)}`;
    const declineLink = `${stack.url}/invite/${await tokenFor(stack, declining!.id)}`;
    const lateLink = `${stack.url}/invite/${await tokenFor(stack, late!.id)}`;

    const page = await browser.context.newPage();
    const fact = (term: string) => page.locator(`dt:text-is("${term}") + dd`).textContent();
    expect(await lookAtBothWidths(page, link, ARTIFACTS, '1-invitation')).toEqual([200, 200]);
    expect(await page.title()).toBe('Invitation: Launch party — Convene');
    expect(await page.locator('h1').textContent()).toBe('Launch party');
    expect(await fact('When')).toBe(KYIV_WHEN);
    expect(await fact('Where')).toBe('Kyiv, Hall A');
    expect(await fact('Host')).toBe(hostName);
    // The deadline in the event's zone too: a day and a time with Kyiv's abbreviation, not an ISO instant.
    expect(await fact('Answer by')).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4}, \d{2}:\d{2} EE[S]?T$/);
    expect(await page.locator('blockquote').textContent()).toBe('Bring a friend!');

    // Every control has its label, and the keyboard reaches them in reading order.
    expect(await page.getByLabel('Your name').count()).toBe(1);
    expect(await page.getByLabel('Phone (optional)').count()).toBe(1);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      const name = await focused.getAttribute('name');
      order.push((name === 'action' ? await focused.getAttribute('value') : name) ?? '');
    }
    expect(order).toEqual(['full_name', 'phone', 'accept', 'decline']);
    // The focused control shows it: the keyboard's outline, not the browser's faint default.
    const outline = await page
      .locator(':focus')
      .evaluate((at) =>
        (
          globalThis as unknown as { getComputedStyle(at: unknown): { outlineStyle: string; outlineWidth: string } }
        ).getComputedStyle(at),
      );
    expect(outline).toMatchObject({ outlineStyle: 'solid', outlineWidth: '3px' });

    await page.fill('input[name="full_name"]', 'Page Guest');
    await page.fill('input[name="phone"]', '+15550100');
    await page.click('button[value="accept"]');
    await page.getByRole('heading', { name: 'Invitation accepted' }).waitFor();
    expect(await page.locator('.state.ok').textContent()).toContain('You accepted the invitation');
    await page.screenshot({ path: `${ARTIFACTS}2-accepted.png`, fullPage: true });

    const accepted = await until(
      () => stack.api.get(`/api/events/${event.id}/invitations/${guest!.id}`, { token: host.token }),
      (r) => r.body.reservation === 'confirmed',
    );
    expect(accepted.body).toMatchObject({ status: 'accepted', full_name: 'Page Guest' });
    expect(await lookAtBothWidths(page, link, ARTIFACTS, '3-accepted-with-seat')).toEqual([200, 200]);
    expect(await page.locator('.state').textContent()).toMatch(
      /^You accepted this invitation on .+: you have a seat\.$/,
    );
    expect(await page.locator('button[value="accept"]').count()).toBe(0);

    await openAt(page, declineLink, 'desktop');
    await page.click('button[value="decline"]');
    await page.getByRole('heading', { name: 'Invitation declined' }).waitFor();
    expect(await page.locator('.state').textContent()).toContain('You declined the invitation');
    expect(await lookAtBothWidths(page, declineLink, ARTIFACTS, '4-declined')).toEqual([200, 200]);
    expect(await page.locator('.state').textContent()).toMatch(/^You declined this invitation on .+\.$/);

    clock.advance(8 * 86_400_000);
    expect(await lookAtBothWidths(page, lateLink, ARTIFACTS, '5-expired')).toEqual([200, 200]);
    expect(await page.locator('.state').textContent()).toBe('This invitation has expired.');
    expect(await page.locator('button[value="accept"]').count()).toBe(0);
    await page.close();
  }, 180_000);
});
