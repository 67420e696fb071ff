// A TCP proxy in front of the store that counts the commands a process sends it: every OP_MSG
// from the client side is parsed far enough to read its command name (the first key of its body
// document) and the collection it names. Used to count round trips per request exactly, from
// the wire, instead of from reading code. Only for benchmarks on 127.0.0.1.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'mongodb';

export interface MongoProxy {
  /** mongodb://127.0.0.1:<port> */
  url: string;
  /** Commands seen since the last reset, as `<command> <collection>` → count. */
  counts(): Map<string, number>;
  /**
   * Documents the store says each write command wrote since the last reset, as `<command>
   * <collection>` → documents: from each answer's `n` (insert, delete), `nModified` + upserts
   * (update), `lastErrorObject.n` (findAndModify).
   */
  written(): Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const OP_MSG = 2013;
const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
const IGNORED = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'endSessions', 'buildInfo', 'saslStart']);

export async function startMongoProxy(target = { host: '127.0.0.1', port: 27017 }): Promise<MongoProxy> {
  let counts = new Map<string, number>();
  let written = new Map<string, number>();
  // requestID of a write command → its key, until its answer arrives.
  const writesAwaitingAnswer = new Map<number, string>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    let pending: Buffer = Buffer.alloc(0);
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
    let answers: Buffer = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (writesAwaitingAnswer.size === 0 && answers.length === 0) return;
      answers = answers.length ? Buffer.concat([answers, chunk]) : chunk;
      while (answers.length >= 16) {
        const length = answers.readInt32LE(0);
        if (answers.length < length) break;
        const message = answers.subarray(0, length);
        answers = answers.subarray(length);
        if (message.readInt32LE(12) === OP_MSG) noteAnswer(message);
      }
    });
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
    if (WRITES.has(name)) writesAwaitingAnswer.set(message.readInt32LE(4), key);
  }
  function noteAnswer(message: Buffer) {
    const key = writesAwaitingAnswer.get(message.readInt32LE(8));
    if (key === undefined || message[20] !== 0) return;
    writesAwaitingAnswer.delete(message.readInt32LE(8));
    const body = BSON.deserialize(message.subarray(21, 21 + message.readInt32LE(21))) as {
      n?: number;
      nModified?: number;
      upserted?: unknown[];
      lastErrorObject?: { n?: number };
    };
    const docs = key.startsWith('update')
      ? (body.nModified ?? 0) + (body.upserted?.length ?? 0)
      : key.startsWith('findAndModify')
        ? (body.lastErrorObject?.n ?? 0)
        : (body.n ?? 0);
    written.set(key, (written.get(key) ?? 0) + docs);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `mongodb://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    written: () => new Map(written),
    reset: () => {
      counts = new Map();
      written = new Map();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
