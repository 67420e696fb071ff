import type { Verifier } from '@convene/kit';
import type { FlowContext } from '../flows/context.ts';
import type { Sockets } from '../realtime/sockets.ts';

/** What the routes call: the flows, plus what only HTTP needs (token checks, open sockets, link secret). */
export interface HttpDeps {
  flows: FlowContext;
  unsubscribeSecret: string;
  verifier: Verifier;
  sockets: Sockets;
}
