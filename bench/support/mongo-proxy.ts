// A TCP proxy in front of the store that counts the commands a process sends it: every OP_MSG
// from the client side is parsed far enough to read its command name (the first key of its body
// document) and the collection it names. Used to count round trips per request exactly, from
// the wire, instead of from reading code. Only for benchmarks on 127.0.0.1.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface MongoProxy {
  /** mongodb://127.0.0.1:<port> */
  url: string;
  /** Commands seen since the last reset, as `<command> <collection>` → count. */
  counts(): Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const OP_MSG = 2013;
const IGNORED = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'saslStart']);

export async function startMongoProxy(target = { host: '127.0.0.1', port: 27017 }): Promise<MongoProxy> {
  let counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 16) {
        const length = pending.readInt32LE(0);
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (message.readInt32LE(12) === OP_MSG) note(message);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  function note(message: Buffer) {
    // header (16) + flagBits (4); section kind 0 is the body document: first element = command.
    if (message[20] !== 0) return;
    const doc = 21;
    const type = message[doc + 4];
    const nameEnd = message.indexOf(0, doc + 5);
    const name = message.toString('utf8', doc + 5, nameEnd);
    if (IGNORED.has(name)) return;
    let collection = '';
    if (type === 0x02) {
      const strLength = message.readInt32LE(nameEnd + 1);
      collection = message.toString('utf8', nameEnd + 5, nameEnd + 5 + strLength - 1);
    }
    const key = collection ? `${name} ${collection}` : name;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mongodb://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    reset: () => {
      counts = new Map();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
