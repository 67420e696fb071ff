export * from './infra.ts';
export * from './smtp-capture.ts';
