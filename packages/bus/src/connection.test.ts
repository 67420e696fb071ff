import { eventually, testInfra, uniqueName } from '@convene/testing';
import { describe, expect, it } from 'vitest';
import { BrokerConnection } from './connection.ts';
import { silentLogger } from './logger.ts';
import { brokerSideTestsEnabled, closeConnectionsNamed, heartbeatsOf } from './test-support/rabbitmqctl.ts';

// rabbitmqctl for the test broker, or this file fails (CONVENE_TEST_SKIP_BROKER_SIDE=1 skips on purpose).
const canUseRabbitmqctl = await brokerSideTestsEnabled();
const { amqpUrl: url } = testInfra();

describe('BrokerConnection', () => {
  it.skipIf(!canUseRabbitmqctl)(
    'reconnects after the broker closes it, running setup first, then telling listeners',
    async () => {
      const name = uniqueName('bus_conn');
      const events: string[] = [];
      const connection = await BrokerConnection.open({
        url,
        name,
        logger: silentLogger,
        reconnect: { initialMs: 50, maxMs: 500 },
        setup: async () => {
          events.push('setup');
        },
      });
      try {
        connection.onConnect(() => events.push('connect'));
        expect(connection.isOpen()).toBe(true);
        expect(events).toEqual(['setup']);

        expect(await closeConnectionsNamed(name)).toBe(1);
        await eventually(() => connection.connectCount === 2, { what: 'reconnection' });
        expect(events).toEqual(['setup', 'setup', 'connect']);
        expect(connection.isOpen()).toBe(true);
      } finally {
        await connection.close();
      }
    },
  );

  it.skipIf(!canUseRabbitmqctl)('asks the broker for heartbeats and names itself', async () => {
    const name = uniqueName('bus_named');
    const connection = await BrokerConnection.open({ url, name, logger: silentLogger, heartbeatSec: 7 });
    try {
      expect(await heartbeatsOf(name)).toEqual([7]);
    } finally {
      await connection.close();
    }
  });

  it('stays closed after close()', async () => {
    // A reconnection can only follow a disconnect seen while open, which amqplib reports (and the
    // connection logs) synchronously as the socket closes — before close() resolves. So the log
    // right after close() says whether one was coming; no waiting to see whether it happens.
    const logged: string[] = [];
    const record = (obj: object, msg?: string) => void logged.push(msg ?? JSON.stringify(obj));
    const connection = await BrokerConnection.open({
      url,
      name: uniqueName('bus_closing'),
      logger: { debug: record, info: record, warn: record, error: record },
      reconnect: { initialMs: 20, maxMs: 50 },
    });
    await connection.close();
    expect(logged).toEqual([]);
    expect(connection.isOpen()).toBe(false);
    expect(connection.model).toBeNull();
    expect(connection.connectCount).toBe(1);
  });
});
