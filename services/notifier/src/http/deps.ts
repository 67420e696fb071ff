import type { Verifier } from '@convene/kit';
import type { Sockets } from '../realtime/sockets.ts';
import type { Store } from '../store/store.ts';

export interface HttpDeps {
  store: Store;
  now: () => Date;
  unsubscribeSecret: string;
  verifier: Verifier;
  sockets: Sockets;
}
