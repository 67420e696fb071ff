import type { JsonReply, JsonRequestOptions } from '@convene/testing';

/**
 * The shared JSON test client. Point it at the service directly or, for through-gateway runs, at
 * the gateway: tests take their base URL from `EVENTS_E2E_BASE_URL` when it is set (see
 * harness.ts), so the same assertions run either way.
 */
export { JsonClient as Api } from '@convene/testing';
export type Reply<T = Record<string, unknown>> = JsonReply<T>;
export type RequestOptions = JsonRequestOptions;
