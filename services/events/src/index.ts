export { Env } from './env.ts';
export { createService, type EventsService, type ServiceOptions } from './service.ts';
