import net from 'node:net';

export interface MongoCommand {
  /** The command's name, the first key of its document (`find`, `findAndModify`, ...). */
  name: string;
  /** Its value: the collection, for CRUD commands. */
  target: unknown;
}

export interface StallingMongoProxy {
  /** `base` (a mongodb:// URL) pointed at the proxy. */
  url(base: string): string;
  /**
   * From now on, the first command `match` accepts is passed to the server, but no reply on its
   * connection reaches the client again: the client is left waiting in the middle of whatever it
   * was doing. Resolves with the command once one was stalled.
   */
  stallNext(match: (command: MongoCommand) => boolean): Promise<MongoCommand>;
  close(): Promise<void>;
}

const OP_MSG = 2013;

/**
 * A loopback proxy in front of MongoDB that reads the wire protocol far enough to recognise one
 * command, so a test can freeze a client at an exact point (e.g. "a registration took step 1 and
 * sent step 2") instead of hoping a kill lands there.
 */
export async function startStallingMongoProxy(targetHost: string, targetPort: number): Promise<StallingMongoProxy> {
  const sockets = new Set<net.Socket>();
  let armed: { match: (command: MongoCommand) => boolean; resolve: (command: MongoCommand) => void } | undefined;

  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    let stalled = false;
    let pending = Buffer.alloc(0);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      socket.on('error', end);
      socket.on('close', () => {
        sockets.delete(socket);
        end();
      });
    }
    upstream.on('data', (chunk) => {
      if (!stalled) client.write(chunk);
    });
    // Whole messages only, so each can be looked at before it is passed on.
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const message = pending.subarray(0, pending.readInt32LE(0));
        pending = pending.subarray(message.length);
        const command = armed && commandOf(message);
        if (armed && command && armed.match(command)) {
          stalled = true;
          armed.resolve(command);
          armed = undefined;
        }
        upstream.write(message);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url(base) {
      const url = new URL(base);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    stallNext(match) {
      return new Promise((resolve) => {
        armed = { match, resolve };
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The command of an OP_MSG whose body section holds it, by the first element of its document. */
function commandOf(message: Buffer): MongoCommand | undefined {
  if (message.length < 27 || message.readInt32LE(12) !== OP_MSG || message[20] !== 0) return undefined;
  const type = message[25];
  const keyEnd = message.indexOf(0, 26);
  if (keyEnd === -1) return undefined;
  const name = message.toString('utf8', 26, keyEnd);
  let target: unknown;
  if (type === 0x02) {
    const length = message.readInt32LE(keyEnd + 1);
    target = message.toString('utf8', keyEnd + 5, keyEnd + 5 + length - 1);
  }
  return { name, target };
}
