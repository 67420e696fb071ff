export * from './fixtures.ts';
export * from './services.ts';
export * from './stack.ts';
