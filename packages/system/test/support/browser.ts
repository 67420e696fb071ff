import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';

/** A phone and a desktop: every page is looked at in both. */
export const WIDTHS = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
} as const;
export type Width = keyof typeof WIDTHS;

/** Where a test's screenshots go: test/artifacts/<name>/ (the folder ignores itself in git). */
export function artifactsDir(name: string): string {
  const dir = fileURLToPath(new URL(`../artifacts/${name}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

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

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium with a fresh profile of its own: nothing it fetches on its own
 * (updates, sync, QUIC probes) competes with the pages under test, and nothing survives the run.
 */
export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'convene-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // The pages' CSP allows no script at all; axe is injected as one, so the test's browser waives it.
    bypassCSP: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `url` at a width and waits for the page to have loaded (the pages have no script to wait for). */
export async function openAt(page: Page, url: string, width: Width): Promise<number> {
  await page.setViewportSize(WIDTHS[width]);
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response, `an answer for ${url}`).not.toBeNull();
  return response!.status();
}

/** Nothing wider than the window: a phone never scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => {
    // Runs in the page; this package is typed without the DOM library.
    const root = (
      globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
    ).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  expect(scroll, 'the page is no wider than the window').toBeLessThanOrEqual(client);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown; failureSummary?: string }>;
}

/**
 * axe-core's whole rule set on the page as it stands; any serious or critical finding fails the
 * test, each printed with the elements it names.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const results = await (
      globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }
    ).axe.run();
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length) console.error(`axe on ${what}:\n${JSON.stringify(blocking, null, 2)}`);
  expect(
    blocking.map((v) => `${v.impact}: ${v.id} (${v.help})`),
    `axe on ${what}`,
  ).toEqual([]);
}

/** The page at both widths: a screenshot of each, no sideways scroll, and axe at each. */
export async function lookAtBothWidths(page: Page, url: string, dir: string, name: string): Promise<number[]> {
  const statuses: number[] = [];
  for (const width of Object.keys(WIDTHS) as Width[]) {
    statuses.push(await openAt(page, url, width));
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
    expect(existsSync(join(dir, `${name}-${width}.png`))).toBe(true);
    await expectAccessible(page, `${name} at ${width} width`);
  }
  return statuses;
}
