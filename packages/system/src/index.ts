export * from './fixtures.ts';
export * from './processes.ts';
export * from './service-test-env.ts';
export * from './services.ts';
export * from './stack.ts';
