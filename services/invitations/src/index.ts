export { Env } from './env.ts';
export { createService, type InvitationsService, type ServiceOptions } from './service.ts';
