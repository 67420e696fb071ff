import { Response as NativeResponse } from 'undici';

/**
 * @hono/node-server's RESPONSE_ALREADY_SENT is built with whatever `Response` is global when its
 * module loads; once any node-server has started (tests running a service and the gateway in one
 * process) that is node-server's own lightweight Response, which it then writes out again —
 * "Cannot write headers after they are sent". A Response from undici is never mistaken for one of
 * its cached ones, so the already-sent marker header is honoured whatever the load order.
 */
export const RESPONSE_ALREADY_SENT = new NativeResponse(null, {
  headers: { 'x-hono-already-sent': 'true' },
}) as unknown as Response;
