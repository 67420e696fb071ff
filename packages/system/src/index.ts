export * from './services.ts';
export * from './stack.ts';
