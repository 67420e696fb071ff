import { mongoUrlFor, startTcpProxy, type TcpProxy, uniqueName } from '@convene/testing';
import { type Connection, Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { connectMongo } from '../mongo/connect-mongo.ts';
import { capturedLogger } from '../test-helpers.ts';

describe('a service whose database goes away', () => {
  let proxy: TcpProxy;
  let mongo: Connection;
  const { logger, lines } = capturedLogger('kit');

  beforeAll(async () => {
    const direct = new URL(mongoUrlFor(uniqueName('kit_outage')));
    proxy = await startTcpProxy(direct.hostname, Number(direct.port || 27017));
    mongo = await connectMongo(proxy.url(direct.toString()), { serverSelectionTimeoutMS: 500 });
  });
  afterAll(async () => {
    await mongo?.close();
    await proxy?.close();
  });

  it('answers 503 problem+json with Retry-After while it is away, and 200 again once it is back', async () => {
    // Fail fast instead of mongoose's 10 s buffering, so the driver's own error is what is mapped.
    const Thing = mongo.model('Thing', new Schema({ n: Number }, { bufferCommands: false }));
    const app = createApp({ service: 'kit', logger });
    app.get('/things', async (c) => c.json({ count: await Thing.countDocuments() }));

    expect((await app.request('/things')).status).toBe(200);

    await proxy.stop();
    const away = await app.request('/things');
    expect(away.status).toBe(503);
    expect(away.headers.get('content-type')).toBe('application/problem+json');
    expect(away.headers.get('retry-after')).toBe('5');
    expect(await away.json()).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    // The driver's error is logged (it is unexpected), though the client only learns it is unavailable.
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'request failed',
        err: expect.objectContaining({ type: expect.stringMatching(/^Mongo/) }),
      }),
    );

    await proxy.start();
    await expect.poll(async () => (await app.request('/things')).status, { timeout: 15_000, interval: 250 }).toBe(200);
  });
});
