export { CliEnv, Env } from './env.ts';
export { type AuthService, createService, type ServiceOptions } from './service.ts';
