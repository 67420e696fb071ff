export * from './calendar.ts';
export * from './causes.ts';
export * from './csv.ts';
export * from './emails.ts';
export * from './time.ts';
