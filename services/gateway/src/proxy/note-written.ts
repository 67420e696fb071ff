import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';

/**
 * Passed as a request's `opaque` to learn whether undici began writing it. undici calls
 * `onRequestStart` on the handler just before it writes the request line to a socket, so a
 * request that failed without it never left the gateway: sending it again cannot make the service
 * act twice, whatever the method.
 */
export interface WriteNote {
  written: boolean;
}

function isWriteNote(value: unknown): value is WriteNote {
  return typeof value === 'object' && value !== null && typeof (value as WriteNote).written === 'boolean';
}

/** The interceptor for `pool.compose(...)`: marks the request's WriteNote, changes nothing else. */
export function noteWritten(dispatch: Dispatcher.Dispatch): Dispatcher.Dispatch {
  return function dispatchNotingWrites(options, handler) {
    // stream() and request() pass their options, `opaque` included, on to dispatch.
    const note = (options as { opaque?: unknown }).opaque;
    return dispatch(options, isWriteNote(note) ? new NotingHandler(handler, note) : handler);
  };
}

class NotingHandler implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #note: WriteNote;

  constructor(handler: Dispatcher.DispatchHandler, note: WriteNote) {
    this.#handler = handler;
    this.#note = note;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#note.written = true;
    this.#handler.onRequestStart?.(controller, context);
  }
  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    socket: Duplex,
  ): void {
    this.#handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }
  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    this.#handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#handler.onResponseData?.(controller, chunk);
  }
  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>) {
    this.#handler.onResponseEnd?.(controller, trailers);
  }
  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(controller, error);
  }
  onResponseStarted(): void {
    this.#handler.onResponseStarted?.();
  }
  onBodySent(chunk: Buffer): void {
    this.#handler.onBodySent?.(chunk);
  }
  onRequestSent(): void {
    this.#handler.onRequestSent?.();
  }
}
