import net from 'node:net';

export interface RelayTarget {
  port: number;
  /** In rotation: new connections may go here (a replica taken out is skipped, as a readiness probe would). */
  up: boolean;
  /** Connections relayed to this target so far. */
  connections: number;
}

export interface RoundRobinRelay {
  /** `http://127.0.0.1:<port>`: where clients of the replicated service connect. */
  url: string;
  targets: RelayTarget[];
  /**
   * Cuts the connections open to this target now, as the kernel does once the process behind it is
   * gone; sooner, so a pooled keep-alive connection of a client learns of it before its next request.
   */
  cut(target: RelayTarget): void;
  close(): Promise<void>;
}

/**
 * One address in front of a service's replicas on 127.0.0.1, as a Kubernetes Service or Docker's
 * DNS gives: each new TCP connection goes to the next target in rotation and stays with it, so a
 * keep-alive connection or a WebSocket lives on one replica, and requests spread only as
 * connections do. A target that refuses the connection is passed over for the next one, so a
 * replica that died between its kill and being taken out of rotation costs no request.
 */
export async function startRoundRobinRelay(ports: readonly number[]): Promise<RoundRobinRelay> {
  const targets: RelayTarget[] = ports.map((port) => ({ port, up: true, connections: 0 }));
  const open = new Set<net.Socket>();
  const pairs = new Map<RelayTarget, Set<{ client: net.Socket; upstream: net.Socket }>>(
    targets.map((target) => [target, new Set()]),
  );
  let next = 0;

  const nextInRotation = (): RelayTarget | undefined => {
    for (let step = 0; step < targets.length; step++) {
      const target = targets[next]!;
      next = (next + 1) % targets.length;
      if (target.up) return target;
    }
    return undefined;
  };

  const connectTo = (client: net.Socket, attemptsLeft: number) => {
    if (client.destroyed) return;
    const target = attemptsLeft > 0 ? nextInRotation() : undefined;
    if (!target) {
      client.destroy();
      return;
    }
    let connected = false;
    const upstream = net.connect(target.port, '127.0.0.1');
    upstream.once('error', () => {
      if (!connected) connectTo(client, attemptsLeft - 1);
    });
    upstream.once('connect', () => {
      connected = true;
      target.connections++;
      open.add(upstream);
      const pair = { client, upstream };
      pairs.get(target)!.add(pair);
      const end = () => {
        open.delete(upstream);
        pairs.get(target)!.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    connectTo(client, targets.length);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    cut(target) {
      for (const { client, upstream } of pairs.get(target) ?? []) {
        client.destroy();
        upstream.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
