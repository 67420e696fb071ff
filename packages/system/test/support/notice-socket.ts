import WebSocket from 'ws';

export interface Frame {
  type: string;
  data: Record<string, unknown>;
}

/**
 * A WebSocket through the gateway, with every frame it receives. `next(type)` resolves with the
 * first frame of that type not taken yet, as soon as it arrives, or rejects after `timeoutMs`
 * naming what did arrive: a notice that never comes fails the test.
 */
export async function openNoticeSocket(url: string, headers: Record<string, string>, defaultTimeoutMs = 20_000) {
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const socket = new WebSocket(url.replace(/^http/, 'ws'), { headers });
  socket.on('message', (raw) => {
    frames.push(JSON.parse(raw.toString()) as Frame);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  let taken = 0;
  const next = (type: string, timeoutMs = defaultTimeoutMs) =>
    new Promise<Frame>((resolve, reject) => {
      const look = () => {
        const at = frames.findIndex((f, i) => i >= taken && f.type === type);
        if (at === -1) return;
        taken = at + 1;
        clearTimeout(timer);
        waiters.delete(look);
        resolve(frames[at]!);
      };
      const timer = setTimeout(() => {
        waiters.delete(look);
        reject(new Error(`no '${type}' frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
      }, timeoutMs);
      waiters.add(look);
      look();
    });
  return { socket, frames, next, close: () => socket.close() };
}
