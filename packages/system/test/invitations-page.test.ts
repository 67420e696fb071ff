import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestClock } from '@convene/testing';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent, tokenFor, until } from './invitations-support.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots stay as artifacts of the run (the folder ignores itself in git). */
const ARTIFACTS = fileURLToPath(new URL('./artifacts/invitations-page/', import.meta.url));

/** Debian's chromium package, installed when missing (the CI image and a fresh machine have apt). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  let run = spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', timeout: 600_000 });
  if (run.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', timeout: 300_000 });
    run = spawnSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', timeout: 600_000 });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`could not install chromium (apt-get exited ${run.status})`);
}

/** The invitation page the email links to, in a real browser, against the real services. */
describe('the invitation page in Chromium', () => {
  let stack: SystemStack;
  let browser: BrowserContext;
  let profile: string;
  const clock = new TestClock();

  beforeAll(async () => {
    ensureChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startSystem({ services: ['auth', 'events', 'invitations'], now: clock.now });
    profile = mkdtempSync(join(tmpdir(), 'convene-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens the link, accepts with name and phone, shows the confirmation; an expired link shows the expired state', async () => {
    const host = await signUp(stack.api);
    const start = clock.now().getTime() + 30 * 86_400_000;
    const event = await createEvent(stack.api, host.token, {
      title: 'Launch party',
      start_time: new Date(start).toISOString(),
      end_time: new Date(start + 7_200_000).toISOString(),
    });
    const tag = Date.now().toString(36);
    const sent = await stack.api.post(
      `/api/events/${event.id}/invitations`,
      { emails: [`page.${tag}@example.com`, `late.${tag}@example.com`], message: 'Bring a friend!' },
      { token: host.token },
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [guest, late] = sent.body.created as Array<{ id: string }>;
    // Until the notifier exists the link comes from what invitation.sent carries (the sealed token opened).
    const link = `${stack.url}/invite/${await tokenFor(stack, guest!.id)}`;
    const lateLink = `${stack.url}/invite/${await tokenFor(stack, late!.id)}`;

    const page = await browser.newPage();
    await page.goto(link);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Launch party');
    expect(await page.locator('blockquote').textContent()).toBe('Bring a friend!');
    await page.screenshot({ path: `${ARTIFACTS}1-invitation.png`, fullPage: true });

    await page.fill('input[name="full_name"]', 'Page Guest');
    await page.fill('input[name="phone"]', '+15550100');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="accept"]')]);
    await expect.poll(() => page.locator('p.ok').textContent()).toContain('You accepted the invitation');
    await page.screenshot({ path: `${ARTIFACTS}2-accepted.png`, fullPage: true });

    const accepted = await until(
      () => stack.api.get(`/api/events/${event.id}/invitations/${guest!.id}`, { token: host.token }),
      (r) => r.body.reservation === 'confirmed',
    );
    expect(accepted.body).toMatchObject({ status: 'accepted', full_name: 'Page Guest' });

    await page.goto(link);
    await expect.poll(() => page.locator('p.ok').textContent()).toBe('You have already accepted this invitation.');
    expect(await page.locator('button[value="accept"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}3-already-answered.png`, fullPage: true });

    clock.advance(8 * 86_400_000);
    await page.goto(lateLink);
    await expect.poll(() => page.locator('p.error').textContent()).toBe('This invitation has expired.');
    expect(await page.locator('button[value="accept"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}4-expired.png`, fullPage: true });
    expect(existsSync(`${ARTIFACTS}4-expired.png`)).toBe(true);
  }, 120_000);
});
