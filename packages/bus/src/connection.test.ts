import { testInfra, uniqueName } from '@convene/testing';
import { describe, expect, it } from 'vitest';
import { BrokerConnection } from './connection.ts';
import { silentLogger } from './logger.ts';
import { closeConnectionsNamed, heartbeatsOf, rabbitmqctlAvailable } from './test-support/rabbitmqctl.ts';
import { sleep, waitFor } from './test-support/wait-for.ts';

const canUseRabbitmqctl = await rabbitmqctlAvailable();
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
        await waitFor(() => connection.connectCount === 2, { what: 'reconnection' });
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
    const connection = await BrokerConnection.open({
      url,
      name: uniqueName('bus_closing'),
      logger: silentLogger,
      reconnect: { initialMs: 20, maxMs: 50 },
    });
    await connection.close();
    await sleep(300);
    expect(connection.isOpen()).toBe(false);
    expect(connection.connectCount).toBe(1);
  });
});
