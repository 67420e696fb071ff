import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runConvene } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMING_SERVICES, SERVICES_WITH_DATABASE } from '../../kit/src/cli/operator-env.ts';
import { type SystemStack, signUp, startSystem } from '../src/index.ts';
import { createEvent } from './invitations-support.ts';

/**
 * The operator commands that act on a service's data, run as an operator runs them
 * (`./convene ...`, a child process on the service's own database and settings) beside the
 * running services, which publish what the commands wrote.
 */
describe('operator commands', () => {
  let stack: SystemStack;
  let dir: string;

  beforeAll(async () => {
    stack = await startSystem({ services: ['auth', 'events', 'invitations'] });
    dir = await mkdtemp(join(tmpdir(), 'convene-import-'));
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const envOf = (service: 'auth' | 'invitations') => stack.services[service]!.env;

  it('invitations:import invites every good row with progress, reports each refused row by line and column, exits 1', async () => {
    const host = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token, { max_participants: 2000 });
    const good = Array.from({ length: 1100 }, (_, i) => `guest${i}@example.com,Guest ${i},attendee`);
    const rows = [...good.slice(0, 3), 'not-an-email,Bad,attendee', ...good.slice(3), 'x@example.com,X,emperor'];
    const file = join(dir, 'guests.csv');
    await writeFile(file, ['email,full_name,role', ...rows].join('\n'));

    const result = await runConvene(['invitations:import', file, '--event', event.id, '--host', host.id], {
      env: envOf('invitations'),
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('1102 row(s): 1100 invited, 0 skipped, 2 refused');
    expect(result.stdout).toContain('  row 5, email: Enter a valid email address.');
    expect(result.stdout).toContain(`  row ${1102 + 1}, role: "emperor" is not a valid role`);
    // Not a terminal: a plain line per 500 rows and the last, never a redrawn one.
    const progress = result.stderr.split('\n').filter((line) => line.startsWith(`importing ${file}: `));
    expect(progress.map((line) => line.split(' ')[2])).toEqual(['500/1102', '1000/1102', '1102/1102']);
    expect(result.stderr).not.toContain('\r');

    const listed = await stack.api.get(`/api/events/${event.id}/invitations?page_size=1`, { token: host.token });
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(1100);
    // The running service publishes what the command wrote.
    await stack.probe.waitFor('invitation.sent', (e) => e.data.invitee.email === 'guest1099@example.com');
  });

  it('invitations:import exits 0 on a clean file, 1 for an event it cannot manage, 2 on usage errors', async () => {
    const host = await signUp(stack.api);
    const stranger = await signUp(stack.api);
    const event = await createEvent(stack.api, host.token);
    const file = join(dir, 'two.csv');
    await writeFile(file, 'email\nann@example.com\nbob@example.com\n');
    const env = envOf('invitations');

    const clean = await runConvene(['invitations:import', file, '--event', event.id, '--host', host.id], { env });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('2 row(s): 2 invited, 0 skipped, 0 refused');

    const notHers = await runConvene(['invitations:import', file, '--event', event.id, '--host', stranger.id], { env });
    expect(notHers.code).toBe(1);
    expect(notHers.stderr).toMatch(/^invitations:import: .+/m);
    expect(notHers.stderr).not.toMatch(/^\s+at /m);

    expect((await runConvene(['invitations:import', file, '--host', host.id], { env })).code).toBe(2);
    expect(
      (
        await runConvene(['invitations:import', join(dir, 'missing.csv'), '--event', event.id, '--host', host.id], {
          env,
        })
      ).code,
    ).toBe(2);
    const help = await runConvene(['invitations:import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: ./convene invitations:import FILE.csv');
  });

  it('users:invite creates an invited account whose user.invited carries the set-password link; a second time exits 1', async () => {
    const email = `invitee-${Date.now()}@example.com`;
    const env = envOf('auth');
    const invited = await runConvene(
      ['users:invite', '--email', email, '--first-name', 'Ivy', '--by', stack.admin.email],
      { env },
    );
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toContain(`invited ${email}`);
    const message = await stack.probe.waitFor('user.invited', (e) => e.data.email === email);
    expect(message.data.set_password_url).toMatch(new RegExp(`^${stack.url}/set-password/.+`));

    const again = await runConvene(['users:invite', '--email', email, '--by', stack.admin.email], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('email: A user with that email already exists.');
    expect((await runConvene(['users:invite', '--email', 'nope', '--by', stack.admin.email], { env })).code).toBe(2);
    expect((await runConvene(['users:invite', '--email', `x${email}`, '--by', 'nobody'], { env })).code).toBe(1);
  });

  it('lists every consuming service for dlq:* and every service with a database for outbox:status', () => {
    const services = readdirSync(join(REPO_ROOT, 'services'));
    const consuming = services.filter((s) =>
      existsSync(join(REPO_ROOT, 'services', s, 'src/consumers/subscriptions.ts')),
    );
    expect([...CONSUMING_SERVICES].sort()).toEqual(consuming.sort());
    expect([...SERVICES_WITH_DATABASE].sort()).toEqual(services.filter((s) => s !== 'gateway').sort());
  });

  it('answers an unknown command with the list and exit 2, and `help` with exit 0', async () => {
    const unknown = await runConvene(['no:such']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('dlq:replay');
    expect((await runConvene(['help'])).code).toBe(0);
  });
});
