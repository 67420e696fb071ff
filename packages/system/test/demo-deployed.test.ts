import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployedSystem, startDeployed } from '../src/index.ts';
import { startMailpitApi } from './demo-mail-api.ts';
import { runDemo } from './demo-process.ts';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.ts';

/**
 * `./convene demo` against the system as deployed (every service its own process, tracing on),
 * as a newcomer runs it against compose: the trace links it prints must lead to traces that
 * cross the services it says they cross.
 */
const TRACE_UI = 'http://127.0.0.1:16686';
const SPANS_TIMEOUT_MS = 30_000;

let receiver: OtlpReceiver;
let system: DeployedSystem;
let mailpit: Awaited<ReturnType<typeof startMailpitApi>>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startDeployed({
    env: { '*': { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' } },
  });
  mailpit = await startMailpitApi(system.smtp);
}, 180_000);

afterAll(async () => {
  await mailpit?.close();
  await system?.stop();
  await receiver?.close();
});

/** The services with a span in this trace, once every one expected has arrived. */
async function servicesIn(traceId: string, expected: string[]): Promise<string[]> {
  const seen = () =>
    [
      ...new Set(
        receiver
          .spans()
          .filter((s) => s.traceId === traceId)
          .map((s) => s.service),
      ),
    ].sort();
  return eventually(() => expected.every((service) => seen().includes(service)) && seen(), {
    timeoutMs: SPANS_TIMEOUT_MS,
    what: `spans of ${expected.join(', ')} in trace ${traceId}`,
  }).catch((err: Error) => {
    throw new Error(`${err.message}; services seen: ${seen().join(', ') || 'none'}`);
  });
}

describe('./convene demo against the deployed system', () => {
  it('tells the story, and its trace links name traces across the services', async () => {
    const run = await runDemo([
      '--url',
      system.url,
      '--mail-ui',
      mailpit.url,
      '--trace-ui',
      TRACE_UI,
      '--starts-in',
      '20s',
    ]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^ {2}seats {7}5\/5 taken, 0 free$/m);

    const acceptance = new RegExp(`${TRACE_UI}/trace/([0-9a-f]{32}) {2}\\(an acceptance`).exec(run.stdout)?.[1];
    const cancellation = new RegExp(`${TRACE_UI}/trace/([0-9a-f]{32}) {2}\\(the cancellation`).exec(run.stdout)?.[1];
    expect(acceptance, run.stdout).toBeDefined();
    expect(cancellation, run.stdout).toBeDefined();
    // A guest's acceptance: the gateway, invitations recording it, events reserving the seat, the notifier's emails.
    expect(await servicesIn(acceptance!, ['gateway', 'invitations', 'events', 'notifier'])).toEqual(
      expect.arrayContaining(['gateway', 'invitations', 'events', 'notifier']),
    );
    // A cancellation: events frees the seat and promotes the next in line; the notifier tells them.
    expect(await servicesIn(cancellation!, ['gateway', 'events', 'notifier'])).toEqual(
      expect.arrayContaining(['gateway', 'events', 'notifier']),
    );
  });
});
