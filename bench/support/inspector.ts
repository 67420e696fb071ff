// A minimal Chrome DevTools Protocol client for a child started with --inspect=127.0.0.1:0:
// evaluate an expression in it, take a heap snapshot (complete when the command answers, so no
// guessing when a file is written). Node's global WebSocket; loopback only.

export interface Inspector {
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** The value of `expression` in the child, JSON-serialisable. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** The whole .heapsnapshot text, after a full GC the snapshot itself triggers. */
  heapSnapshot(): Promise<string>;
  close(): void;
}

export async function connectInspector(wsUrl: string, timeoutMs = 120_000): Promise<Inspector> {
  if (!wsUrl.startsWith('ws://127.0.0.1:')) throw new Error(`not a loopback inspector: ${wsUrl}`);
  const socket = new WebSocket(wsUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${wsUrl}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, (params: Record<string, unknown>) => void>();
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      result?: unknown;
      error?: { message: string };
    };
    if (data.id !== undefined) {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if (data.error) waiting?.reject(new Error(data.error.message));
      else waiting?.resolve(data.result);
    } else if (data.method) {
      listeners.get(data.method)?.(data.params ?? {});
    }
  });
  socket.addEventListener('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('inspector closed'));
    pending.clear();
  });

  function send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  }

  return {
    send,
    async evaluate<T>(expression: string) {
      const { result, exceptionDetails } = await send<{
        result: { value?: unknown };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) {
        throw new Error(`evaluate failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      }
      return result.value as T;
    },
    async heapSnapshot() {
      const chunks: string[] = [];
      listeners.set('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push(String(params.chunk)));
      await send('HeapProfiler.enable');
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
      listeners.delete('HeapProfiler.addHeapSnapshotChunk');
      return chunks.join('');
    },
    close: () => socket.close(),
  };
}
