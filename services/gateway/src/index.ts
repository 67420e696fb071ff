export { Env } from './env.ts';
export { createService, type GatewayService, type ServiceOptions } from './service.ts';
