export * from './infra.ts';
export * from './service-harness.ts';
export * from './smtp-capture.ts';
