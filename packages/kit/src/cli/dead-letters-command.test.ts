import { Bus, PermanentError } from '@convene/bus';
import { DeadLetterQueues } from '@convene/bus/dead-letters';
import { envelope } from '@convene/contracts';
import { eventually, runConvene, testInfra, uniqueName } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const namespace = `${uniqueName('dlqcli')}.`;
const { amqpUrl } = testInfra();
const env = { AMQP_URL: amqpUrl, BUS_NAMESPACE: namespace };
const dlq = `${namespace}notifier.dlq`;

function feedbackSubmitted(n: number) {
  return envelope({
    type: 'feedback.submitted',
    source: 'feedback',
    subject: `f${n}`,
    data: {
      feedback_id: `f${n}`,
      event_id: 'e1',
      event_title: 'Launch',
      host: { user_id: 'u2', email: 'host@example.com', name: 'Host' },
      author: { user_id: 'u1', email: 'ann@example.com', name: 'Ann' },
      rating: 5,
      comment: '',
      submitted_at: new Date().toISOString(),
    },
  });
}

/** `./convene dlq:*` as child processes, on messages a consumer of the real bus dead-lettered. */
describe('dlq commands', () => {
  let bus: Bus;
  let queues: DeadLetterQueues;
  let failing = true;
  const handled: string[] = [];
  const [first, second] = [feedbackSubmitted(1), feedbackSubmitted(2)];

  beforeAll(async () => {
    // Named after a consuming service, so dlq:list (which lists those services' DLQs) finds it.
    bus = await Bus.connect({ url: amqpUrl, service: 'notifier', namespace });
    await bus.subscribe('emails', {
      'feedback.submitted': (event) => {
        if (failing) throw new PermanentError('template "feedback" is missing', { code: 'NO_TEMPLATE' });
        handled.push(event.id);
      },
    });
    queues = await DeadLetterQueues.open(amqpUrl);
    await bus.publish([first]);
    await bus.publish([second]);
    await eventually(async () => (await queues.count(dlq)) === 2, { what: 'two dead letters' });
  });
  afterAll(async () => {
    await bus?.close({ timeoutMs: 1000 });
    await queues?.close();
  });

  it('lists every DLQ with counts and reasons', async () => {
    const listed = await runConvene(['dlq:list'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${dlq.replaceAll('.', '\\.')}\\s+2 message\\(s\\)`));
    expect(listed.stdout).toContain(
      `2  from ${namespace}notifier.emails (feedback.submitted): template "feedback" is missing`,
    );
    expect(listed.stdout).toContain(`${namespace}events.dlq`);
  });

  it('shows one message by id without taking it', async () => {
    const shown = await runConvene(['dlq:show', 'notifier', '--id', second.id, '--body'], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`#2  ${second.id}  feedback.submitted`);
    expect(shown.stdout).toContain('reason      template "feedback" is missing [NO_TEMPLATE]');
    expect(shown.stdout).toContain(`"id":"${second.id}"`);
    expect(shown.stdout).not.toContain(first.id);
    expect(await queues.count(dlq)).toBe(2);
    const missing = await runConvene(['dlq:show', 'notifier', '--id', 'nope'], { env });
    expect(missing.code).toBe(1);
  });

  it('refuses unclear requests with usage (exit 2) and a missing queue as a failure (exit 1)', async () => {
    expect((await runConvene(['dlq:replay', 'notifier'], { env })).code).toBe(2);
    expect((await runConvene(['dlq:replay', 'notifier', '--id', 'x', '--all'], { env })).code).toBe(2);
    const unconfirmed = await runConvene(['dlq:discard', 'notifier', '--all'], { env });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    expect((await runConvene(['dlq:show', `${namespace}nothing.dlq`], { env })).code).toBe(1);
    const help = await runConvene(['dlq:replay', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: \.\/convene dlq:replay QUEUE/);
    expect(await queues.count(dlq)).toBe(2);
  });

  it('replays one by id to its consumer, then discards the rest with --yes', async () => {
    failing = false;
    const replayed = await runConvene(['dlq:replay', dlq, '--id', first.id], { env });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`1 message(s) replayed from ${dlq}; 0 left in it`);
    // Not a terminal: the progress is plain lines on stderr, never carriage returns.
    expect(replayed.stderr).toContain(`replaying ${dlq}: 2/2 1 replayed`);
    expect(replayed.stderr).not.toContain('\r');
    await eventually(() => handled.includes(first.id), { what: 'the replayed message handled' });

    const discarded = await runConvene(['dlq:discard', 'notifier', '--all', '--yes'], { env });
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toContain('1 message(s) discarded');
    expect(await queues.count(dlq)).toBe(0);
    expect(handled).toEqual([first.id]);
  });
});
