import amqp from 'amqplib';
import mongoose from 'mongoose';
import { redactUrl } from './infra-source.ts';

export interface WaitForServersOptions {
  /** How long both servers get to answer. Default 15 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 250 ms. */
  intervalMs?: number;
  /** Appended to the error: what to do about it (e.g. start the local infrastructure). */
  hint?: string;
  /** Told about every failed attempt (progress, and tests that need to know one failed). */
  onAttemptFailed?: (server: 'mongo' | 'amqp', error: unknown) => void;
}

/** The longest one attempt may take, so a server that accepts and then stalls is tried again. */
const ATTEMPT_MS = 2_000;

/**
 * Resolves once MongoDB answers a ping and RabbitMQ accepts a connection, trying again until
 * `timeoutMs`; then rejects naming each server that did not answer and its last error. Every
 * attempt is bounded by the client's own timeout (never cut short), so there always is one.
 */
export async function waitForServers(
  { mongoUrl, amqpUrl }: { mongoUrl: string; amqpUrl: string },
  { timeoutMs = 15_000, intervalMs = 250, hint, onAttemptFailed }: WaitForServersOptions = {},
): Promise<void> {
  const failures = await Promise.all([
    untilAnswered(`MongoDB at ${redactUrl(mongoUrl)} did not answer a ping`, (ms) => pingMongo(mongoUrl, ms), {
      timeoutMs,
      intervalMs,
      onFailed: (err) => onAttemptFailed?.('mongo', err),
    }),
    untilAnswered(`RabbitMQ at ${redactUrl(amqpUrl)} did not accept a connection`, (ms) => connectAmqp(amqpUrl, ms), {
      timeoutMs,
      intervalMs,
      onFailed: (err) => onAttemptFailed?.('amqp', err),
    }),
  ]);
  const lines = failures.filter((failure) => failure !== undefined).map((failure) => `  ${failure}`);
  if (lines.length === 0) return;
  throw new Error(
    ['[testing] the test infrastructure does not answer:', ...lines, ...(hint ? [`  ${hint}`] : [])].join('\n'),
  );
}

/** Undefined once `attempt` succeeds; the failure to report once time is up. */
async function untilAnswered(
  failure: string,
  attempt: (timeoutMs: number) => Promise<void>,
  { timeoutMs, intervalMs, onFailed }: { timeoutMs: number; intervalMs: number; onFailed: (err: unknown) => void },
): Promise<string | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    try {
      await attempt(Math.max(50, Math.min(ATTEMPT_MS, deadline - performance.now())));
      return undefined;
    } catch (err) {
      onFailed(err);
      if (performance.now() + intervalMs >= deadline) {
        const tries = `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
        return `${failure} within ${timeoutMs} ms (${tries}); last error: ${err instanceof Error ? err.message : String(err)}`;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

async function pingMongo(url: string, timeoutMs: number): Promise<void> {
  const client = new mongoose.mongo.MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    socketTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => {});
  }
}

async function connectAmqp(url: string, timeoutMs: number): Promise<void> {
  const connection = await amqp.connect(url, { timeout: timeoutMs });
  connection.on('error', () => {});
  await connection.close();
}
