import { describe, expect, inject, it } from 'vitest';
import { testInfra } from './infra.ts';
import { waitForServers } from './infra-check.ts';
import { dockerReason, planInfra } from './infra-source.ts';
import { startTcpProxy } from './tcp-proxy.ts';

// Port 1 (tcpmux) is never served here: connections to it are refused at once.
const NOWHERE_MONGO = 'mongodb://127.0.0.1:1';
const NOWHERE_AMQP = 'amqp://guest:s3cret@127.0.0.1:1';

describe('global setup', () => {
  it('gives the workers the infrastructure it planned, and what CONVENE_TEST_INFRA demanded', () => {
    const planned = planInfra(process.env, dockerReason(process.env)).source;
    expect(inject('infraSource')).toBe(planned);
    const demanded = process.env.CONVENE_TEST_INFRA;
    if (demanded) expect(inject('infraSource')).toBe(demanded);
    expect(testInfra()).toEqual({ mongoUrl: inject('mongoUrl'), amqpUrl: inject('amqpUrl') });
  });
});

describe('waitForServers', () => {
  it("resolves once this run's MongoDB and RabbitMQ answer", async () => {
    await expect(waitForServers(testInfra())).resolves.toBeUndefined();
  });

  it('rejects naming each server that does not answer, its last error and the hint, without passwords', async () => {
    const failure = await waitForServers(
      { mongoUrl: NOWHERE_MONGO, amqpUrl: NOWHERE_AMQP },
      { timeoutMs: 300, intervalMs: 50, hint: 'Start the local infrastructure.' },
    ).catch((err: unknown) => err as Error);
    expect(failure).toBeInstanceOf(Error);
    const lines = (failure as Error).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('[testing] the test infrastructure does not answer:');
    expect(lines[1]).toMatch(
      /^ {2}MongoDB at mongodb:\/\/127\.0\.0\.1:1 did not answer a ping within 300 ms \(\d+ attempts?\); last error: .*ECONNREFUSED/,
    );
    expect(lines[2]).toMatch(
      /^ {2}RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 did not accept a connection within 300 ms \(\d+ attempts?\); last error: .*ECONNREFUSED/,
    );
    expect(lines[3]).toBe('  Start the local infrastructure.');
    expect((failure as Error).message).not.toContain('s3cret');
  });

  it('names only the server that does not answer', async () => {
    const failure = await waitForServers(
      { mongoUrl: testInfra().mongoUrl, amqpUrl: NOWHERE_AMQP },
      { timeoutMs: 300, intervalMs: 50 },
    ).catch((err: unknown) => err as Error);
    const lines = (failure as Error).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^ {2}RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 did not accept a connection within 300 ms /,
    );
  });

  it('tries again until a server that was down comes up', async () => {
    const base = new URL(testInfra().mongoUrl);
    const proxy = await startTcpProxy(base.hostname, Number(base.port || 27017));
    try {
      await proxy.stop();
      const failed = { mongo: 0, amqp: 0 };
      let firstFailure!: () => void;
      const failedOnce = new Promise<void>((resolve) => {
        firstFailure = resolve;
      });
      const waiting = waitForServers(
        { mongoUrl: proxy.url(base.toString()), amqpUrl: testInfra().amqpUrl },
        {
          timeoutMs: 25_000,
          intervalMs: 50,
          onAttemptFailed: (server) => {
            failed[server] += 1;
            firstFailure();
          },
        },
      );
      await failedOnce;
      await proxy.start();
      await expect(waiting).resolves.toBeUndefined();
      expect(failed.mongo).toBeGreaterThanOrEqual(1);
      expect(failed.amqp).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});
