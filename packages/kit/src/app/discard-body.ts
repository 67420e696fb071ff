import type { Readable } from 'node:stream';

/**
 * How much of a refused body is still read (and thrown away) before the connection is closed.
 * Closing a socket with unread bytes makes the kernel answer them with a reset, which can reach
 * the client before it has read our 413, so it sees a broken connection instead; reading what is
 * already on its way lets the close be a clean one. A client that sends more than this, or takes
 * longer, is cut off anyway.
 */
export const LINGER = { maxBytes: 8 * 1024 * 1024, timeoutMs: 2_000 };

/**
 * Reads and drops what is left of a Node request body. Resolves true when the body ended within
 * the bounds (the connection can then close cleanly), false when it did not (or the stream broke).
 * The stream is left paused, not destroyed, either way.
 */
export function discardBody(
  body: Readable,
  { maxBytes = LINGER.maxBytes, timeoutMs = LINGER.timeoutMs }: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  if (body.readableEnded) return Promise.resolve(true);
  if (body.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onFailure);
      body.off('close', onFailure);
      body.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFailure = () => finish(body.readableEnded);
    const timer = setTimeout(() => finish(false), timeoutMs);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onFailure);
    body.once('close', onFailure);
    body.resume();
  });
}

/** The same for a web stream reader (a kit app's request body, read through the fetch API). */
export async function discardReader(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  { maxBytes = LINGER.maxBytes, timeoutMs = LINGER.timeoutMs }: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs);
  });
  let seen = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === 'expired') return false;
      if (next.done) return true;
      seen += next.value.byteLength;
      if (seen > maxBytes) return false;
    }
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
