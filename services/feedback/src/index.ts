export { Env } from './env.ts';
export { createService, type FeedbackService, type ServiceOptions } from './service.ts';
