export * from './infra.ts';
export * from './json-client.ts';
export * from './people.ts';
export * from './rabbitmqctl.ts';
export * from './service-harness.ts';
export * from './smtp-capture.ts';
export * from './tcp-proxy.ts';
