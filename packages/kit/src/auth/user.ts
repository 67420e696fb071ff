import type { Logger } from '../logging/create-logger.ts';

/** Who is calling, as the access token says. */
export interface AuthUser {
  id: string;
  username: string;
  email: string;
  name: string;
  /** 'admin' for platform admins, 'user' otherwise. */
  role: string;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `authenticate`; undefined for anonymous requests on optional routes. */
    user: AuthUser | undefined;
    /** Request-scoped logger carrying the request id. */
    logger: Logger;
  }
}
