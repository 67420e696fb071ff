import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { BodyTooLarge, ClientGone } from './upstream-failure.ts';

/**
 * The client's body as undici sends it upstream: read from the IncomingMessage only once undici
 * asks for it, counted against the limit (a chunked body carries no length to check up front),
 * with backpressure both ways.
 *
 * When undici gives up on it (the upstream failed, the body grew too large) it destroys this
 * stream, never the client's: the IncomingMessage is only paused, so the gateway can still answer
 * on that connection (after reading what is left, see discardBody), and a request that was never
 * written can be sent again with a new RequestBody over the same, untouched, client stream.
 */
export class RequestBody extends Readable {
  readonly #source: IncomingMessage;
  readonly #limit: number;
  #seen = 0;
  #attached = false;

  constructor(source: IncomingMessage, limit: number) {
    super();
    this.#source = source;
    this.#limit = limit;
  }

  override _read(): void {
    if (!this.#attached) {
      this.#attached = true;
      this.#source.on('data', this.#onData);
      this.#source.once('end', this.#onEnd);
      this.#source.once('error', this.#onError);
      this.#source.once('close', this.#onClose);
    }
    this.#source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#detach();
    callback(error);
  }

  readonly #onData = (chunk: Buffer) => {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit) {
      this.#detach();
      this.destroy(new BodyTooLarge(`request body is larger than ${this.#limit} bytes`));
      return;
    }
    if (!this.push(chunk)) this.#source.pause();
  };

  readonly #onEnd = () => {
    this.#detach();
    this.push(null);
  };

  readonly #onError = (error: Error) => {
    this.#detach();
    this.destroy(new ClientGone('client request failed', { cause: error }));
  };

  readonly #onClose = () => {
    // 'close' right after 'end' is the normal end; before it, the client went away mid-body.
    if (this.#source.readableEnded) return;
    this.#detach();
    this.destroy(new ClientGone('client closed the connection before its body ended'));
  };

  #detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#source.off('data', this.#onData);
    this.#source.off('end', this.#onEnd);
    this.#source.off('error', this.#onError);
    this.#source.off('close', this.#onClose);
    this.#source.pause();
  }
}
