/** What is needed of an open socket: hono's WSContext has it, so does a test double. */
export interface Socket {
  send(data: string): void;
  readonly readyState: number;
}

const OPEN = 1;

/** The open WebSocket connections of this replica, by user. */
export class Sockets {
  readonly #byUser = new Map<string, Set<Socket>>();

  add(userId: string, socket: Socket): () => void {
    let set = this.#byUser.get(userId);
    if (!set) {
      set = new Set();
      this.#byUser.set(userId, set);
    }
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size === 0 && this.#byUser.get(userId) === set) this.#byUser.delete(userId);
    };
  }

  /** Sends to every open socket of the user here; resolves how many got it. */
  sendTo(userId: string, payload: unknown): number {
    const set = this.#byUser.get(userId);
    if (!set) return 0;
    const text = JSON.stringify(payload);
    let sent = 0;
    for (const socket of set) {
      if (socket.readyState !== OPEN) continue;
      socket.send(text);
      sent++;
    }
    return sent;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byUser.values()) n += set.size;
    return n;
  }

  all(): Socket[] {
    return [...this.#byUser.values()].flatMap((set) => [...set]);
  }
}
