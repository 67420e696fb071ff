import { mongoUrlFor, runConvene, uniqueName } from '@convene/testing';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = uniqueName('outbox_status');
const url = mongoUrlFor(database);

/** `./convene outbox:status` as a child process, on a database with a known backlog. */
describe('outbox:status', () => {
  let client: MongoClient;
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  beforeAll(async () => {
    client = await MongoClient.connect(url);
    const db = client.db();
    await db.collection('events').insertMany([
      // Waiting: two envelopes, the oldest written 12 minutes ago.
      {
        outbox: [
          { id: 'a', time: minutesAgo(12).toISOString() },
          { id: 'b', time: minutesAgo(3).toISOString() },
        ],
        outbox_at: minutesAgo(12),
      },
      // Held by a relay: its lease ends in the future.
      { outbox: [{ id: 'c', time: minutesAgo(1).toISOString() }], outbox_at: new Date(Date.now() + 10 * 60_000) },
      // Published: nothing pending.
      { outbox: [], outbox_at: null },
    ]);
    await db
      .collection('registrations')
      .insertOne({ outbox: [{ id: 'd', time: minutesAgo(5).toISOString() }], outbox_at: minutesAgo(5) });
  });
  afterAll(async () => {
    await client
      ?.db()
      .dropDatabase()
      .catch(() => {});
    await client?.close();
  });

  it("counts one service's backlog in its MONGO_URL, by collection", async () => {
    const result = await runConvene(['outbox:status', 'events', '--collections'], { env: { MONGO_URL: url } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+BACKLOG\s+DOCUMENTS\s+LEASED\s+OLDEST$/);
    // Ages as minutes and (unless zero) seconds; they grow while the test runs, hence a range.
    expect(lines[1]).toMatch(/^events\s+4\s+3\s+1\s+1[2-9]m( \d+s)? \(/);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^ {2}events\s+3\s+2\s+1\s+1[2-9]m/),
      expect.stringMatching(/^ {2}registrations\s+1\s+1\s+0\s+[5-9]m/),
    ]);
  });

  it('fails (exit 1) when a database cannot be reached, and refuses an unknown service (exit 2)', async () => {
    const unreachable = await runConvene(['outbox:status', '--mongo-base', 'mongodb://127.0.0.1:9'], {
      timeoutMs: 60_000,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/^auth\s+cannot read mongodb:\/\/127\.0\.0\.1:9\/convene_auth/m);
    expect((await runConvene(['outbox:status', 'gateway'])).code).toBe(2);
  });
});
