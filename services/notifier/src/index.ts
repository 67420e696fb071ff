export { Env } from './env.ts';
export { createService, type NotifierService, type ServiceOptions } from './service.ts';
