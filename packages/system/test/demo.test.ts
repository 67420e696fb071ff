import { freePort } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SystemStack, startSystem } from '../src/index.ts';
import { startMailpitApi } from './demo-mail-api.ts';
import { runDemo } from './demo-process.ts';

/**
 * Long enough for the steps before the start (sign-ups, invitations, reservations, registrations)
 * on a busy machine; the demo fails with its own reason, not a timeout, if they take longer.
 */
const STARTS_IN = '15s';

/** Named, not looked for: the story links to the traces of its steps there. */
const TRACE_UI = 'http://127.0.0.1:16686';

/** The value of one line of the closing summary (`  seats       5/5 taken, 0 free`). */
function storyLine(stdout: string, label: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`  ${label} `));
  expect(line, `a "${label}" line in:\n${stdout}`).toBeDefined();
  return line!.slice(label.length + 2).trim();
}

describe('./convene demo against a running system', () => {
  let stack: SystemStack;
  let mailpit: Awaited<ReturnType<typeof startMailpitApi>>;

  beforeAll(async () => {
    stack = await startSystem();
    mailpit = await startMailpitApi(stack.smtp);
  });
  afterAll(async () => {
    await mailpit?.close();
    await stack?.stop();
  });

  it('tells the story: a full event, a waitlist that moved, invitations answered, feedback, the emails', async () => {
    const run = await runDemo([
      '--url',
      stack.url,
      '--mail-ui',
      mailpit.url,
      '--trace-ui',
      TRACE_UI,
      '--starts-in',
      STARTS_IN,
    ]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const { stdout } = run;

    expect(storyLine(stdout, 'seats')).toBe('5/5 taken, 0 free');
    expect(storyLine(stdout, 'waitlist')).toMatch(
      /^1 waiting \(Ines Demo\); Farah cancelled and Goran moved up in \d+\.\d s$/,
    );
    expect(storyLine(stdout, 'invitations')).toBe('5 sent: 4 accepted, 1 declined, 0 pending (acceptance rate 80%)');
    expect(storyLine(stdout, 'feedback')).toBe('3 ratings, average 4.7 (5★ 2, 4★ 1, 3★ 0, 2★ 0, 1★ 0)');
    const emails = /^(\d+) to the demo's people so far; read them in Mailpit: (\S+)$/.exec(storyLine(stdout, 'emails'));
    expect(emails, stdout).not.toBeNull();
    expect(emails![2]).toBe(mailpit.url);

    const trace = '[0-9a-f]{32}';
    expect(storyLine(stdout, 'traces')).toMatch(
      new RegExp(`^${TRACE_UI}/trace/${trace} {2}\\(an acceptance: gateway → invitations → events → notifier\\)$`),
    );
    expect(stdout).toMatch(
      new RegExp(`^ {14}${TRACE_UI}/trace/${trace} {2}\\(the cancellation that moved the waitlist\\)$`, 'm'),
    );

    // What the story says is what the system holds.
    const eventId = /\(event ([^)]+)\)/.exec(stdout)![1]!;
    const event = await stack.api.get(`/api/events/${eventId}`);
    expect(event.body).toMatchObject({ max_participants: 5, attendees_count: 5, waitlist_count: 1 });
    expect((await stack.api.get(`/api/events/${eventId}/feedback/summary`)).body.count).toBe(3);

    // The emails the demo counted reached the SMTP server: every invitee's invitation exactly once.
    const run_ = /Convene demo (\S+) against/.exec(stdout)![1]!;
    const ours = stack.smtp.messages.filter((m) => m.to.some((to) => to.includes(`.${run_}@`)));
    expect(ours.length).toBeGreaterThanOrEqual(Number(emails![1]));
    for (const name of ['ada', 'bruno', 'chen', 'dara', 'emil']) {
      const invitations = ours.filter(
        (m) => m.to.includes(`${name}.${run_}@example.com`) && /invited you to/.test(m.subject),
      );
      expect(invitations, `${name}'s invitation emails`).toHaveLength(1);
    }
    expect(Number(emails![1])).toBeGreaterThanOrEqual(5);
  });

  it('exits 1 with one line naming the cause when the system is not there', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = await runDemo(['--url', nowhere, '--mail-ui', 'off', '--trace-ui', 'off']);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^convene demo: GET /readyz: the gateway at ${nowhere} did not answer \\(ECONNREFUSED\\); start it first`,
      ),
    );
  });

  it('exits 1 with the problem+json detail when a step fails (events stopped: the gateway answers 502)', async () => {
    await stack.services.events!.service.stop();
    const run = await runDemo(['--url', stack.url, '--mail-ui', mailpit.url, '--trace-ui', 'off']);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/^ {2}! the gateway reports events: /m);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^convene demo: POST \/api\/events: 50[234] UPSTREAM_\w+: .+\[request demo-\S+-event-\d+\]\n$/,
    );
  });
});
