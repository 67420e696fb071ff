import net from 'node:net';

export interface TcpProxy {
  /** A URL like `base` (AMQP, MongoDB, HTTP) but going through the proxy. */
  url(base: string): string;
  /** Stops passing the broker's replies (confirms, heartbeats) on the connections open now. */
  holdReplies(): void;
  /** Cuts every connection open now, as a dead network would; new connections go through. */
  dropAll(): void;
  /** The broker "goes away": connections are cut and new ones refused until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of a server (the broker, the database), to drop, refuse or stall connections. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let server: net.Server | null = null;
  let port = 0;

  const accept = (client: net.Socket) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const dropAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
  };

  const start = async () => {
    if (server) return;
    const listening = net.createServer(accept);
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', resolve);
    });
    port = (listening.address() as net.AddressInfo).port;
    server = listening;
  };

  const stop = async () => {
    const closing = server;
    server = null;
    dropAll();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await start();
  return {
    url(base) {
      const url = new URL(base);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    holdReplies() {
      for (const { client, upstream } of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    dropAll,
    stop,
    start,
    close: stop,
  };
}
