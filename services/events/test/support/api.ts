import type { JsonReply, JsonRequestOptions } from '@convene/testing';

/** The shared JSON test client, pointed at the service itself (the gateway's runs are packages/system's). */
export { JsonClient as Api } from '@convene/testing';
export type Reply<T = Record<string, unknown>> = JsonReply<T>;
export type RequestOptions = JsonRequestOptions;
