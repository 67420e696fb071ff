// `./convene demo`: a short story told through the public API of a running Convene (local or
// compose), then a summary with where to read its emails and traces. Exit 0 when every step
// happened, 1 with a one-line reason when the system is not reachable or a step failed, 2 on bad
// options.
import { castOf, newRunId } from './demo/cast.ts';
import { GatewayClient, problemText, reasonOf, StepFailed } from './demo/gateway-client.ts';
import { type MailReader, mailReaderAt } from './demo/mail-readers.ts';
import { type DemoOptions, demoOptions, USAGE, UsageError } from './demo/options.ts';
import { runStory } from './demo/run-story.ts';
import { tellStory } from './demo/tell-story.ts';

/** Where compose and `./convene start` put their mail catchers and Jaeger, in the order asked. */
const USUAL_MAIL_UIS = ['http://localhost:8025', 'http://localhost:1080'];
const USUAL_TRACE_UI = 'http://localhost:16686';

async function main(): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = demoOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    console.error(`convene demo: ${err.message} (./convene demo --help)`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  const run = newRunId();
  const client = new GatewayClient(options.url, run);
  const say = (line: string) => console.log(`  ✓ ${line}`);
  const note = (line: string) => console.log(`  - ${line}`);
  console.log(`Convene demo ${run} against ${options.url}`);
  try {
    await mustBeReady(client);
    const { mail, noMail } = await findMailReader(options.mailUi);
    const traceUi = await findTraceUi(options.traceUi);
    if (noMail) note(noMail);
    const cast = castOf(run, options.capacity);
    const facts = await runStory({
      client,
      cast,
      capacity: options.capacity,
      startsInMs: options.startsInMs,
      mail,
      say,
      note,
    });
    const emails = mail ? (await mail.mailTo(facts.addresses)).length : undefined;
    console.log(tellStory({ facts, client, mail, noMail, traceUi, emails }));
    return 0;
  } catch (err) {
    // A step that failed says why; anything else is an answer the demo did not expect.
    const reason = err instanceof StepFailed ? err.message : `unexpected: ${reasonOf(err)}`;
    console.error(`convene demo: ${reason}`);
    return 1;
  }
}

async function mustBeReady(client: GatewayClient): Promise<void> {
  client.beginStep('ready');
  let answer: Awaited<ReturnType<GatewayClient['request']>>;
  try {
    answer = await client.request('GET', '/readyz');
  } catch (err) {
    throw new StepFailed(
      `${err instanceof Error ? err.message : String(err)}; start it first (./convene start, or docker compose up --build) or point --url at it`,
    );
  }
  if (answer.status !== 200) throw new StepFailed(`the system at ${client.url} is not ready: ${problemText(answer)}`);
  // The gateway is ready once it routes; whether each service behind it is, its /healthz says.
  const health = await client.request('GET', '/healthz');
  const down = Object.entries((health.body.checks ?? {}) as Record<string, string>).filter(([, v]) => v !== 'ok');
  if (health.body.status === 'degraded' && down.length > 0) {
    console.log(`  ! the gateway reports ${down.map(([name, why]) => `${name}: ${why}`).join('; ')}`);
  }
}

async function findMailReader(choice: string): Promise<{ mail?: MailReader; noMail?: string }> {
  if (choice === 'off') return { noMail: 'the mail UI is off (--mail-ui off)' };
  if (choice !== 'auto') {
    const found = await mailReaderAt(choice);
    // Asked for by name: a catcher that cannot be read is a mistake to point out, not to work around.
    if ('unreadable' in found) throw new StepFailed(`--mail-ui: ${found.unreadable}`);
    return { mail: found };
  }
  for (const ui of USUAL_MAIL_UIS) {
    const found = await mailReaderAt(ui);
    if (!('unreadable' in found)) return { mail: found };
  }
  return { noMail: `no mail catcher at ${USUAL_MAIL_UIS.join(' or ')} (give --mail-ui)` };
}

async function findTraceUi(choice: string): Promise<string | undefined> {
  if (choice === 'off') return undefined;
  if (choice !== 'auto') return choice;
  try {
    // Jaeger's UI answers its own API; anything else at that port is not it.
    const res = await fetch(`${USUAL_TRACE_UI}/api/services`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? USUAL_TRACE_UI : undefined;
  } catch {
    return undefined;
  }
}

process.exitCode = await main();
