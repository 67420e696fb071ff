import { describe, expect, it } from 'vitest';
import { createServiceMetrics } from '../metrics/service-metrics.ts';
import { capturedLogger } from '../test-helpers.ts';
import { countRequests } from './count-requests.ts';
import { createApp } from './create-app.ts';

describe('countRequests', () => {
  it('counts requests by route pattern, method and status, errors and unknown paths included', async () => {
    const metrics = createServiceMetrics();
    const app = createApp({ service: 'events', logger: capturedLogger().logger });
    app.use('*', countRequests({ metrics }));
    app.get('/api/events/:id', (c) => c.json({ id: c.req.param('id') }));
    app.get('/boom', () => {
      throw new Error('crash');
    });
    await app.request('/api/events/e1');
    await app.request('/api/events/e2');
    await app.request('/boom');
    await app.request('/no/such/path/7f3a');

    const text = await metrics.text();
    expect(text).toMatch(/^convene_http_requests_total\{route="\/api\/events\/:id",method="GET",status="200"\} 2$/m);
    expect(text).toMatch(/^convene_http_requests_total\{route="\/boom",method="GET",status="500"\} 1$/m);
    expect(text).toMatch(/^convene_http_requests_total\{route="unmatched",method="GET",status="404"\} 1$/m);
    expect(text).toMatch(/^convene_http_request_duration_seconds_count\{route="\/api\/events\/:id",method="GET"\} 2$/m);
    // Raw paths never become labels.
    expect(text).not.toContain('e1');
    expect(text).not.toContain('7f3a');
  });
});
