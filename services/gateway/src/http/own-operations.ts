import type { PathItem } from '../domain/merge-openapi.ts';

const gateway = { tags: ['gateway'], 'x-service': 'gateway' };
const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
const page = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const token = [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }];

/** The gateway's own operations, listed in the merged document beside the services'. */
export const GATEWAY_OPERATIONS: Record<string, PathItem> = {
  '/healthz': {
    get: { ...gateway, summary: 'Liveness of the gateway process', responses: { 200: { description: 'Alive' } } },
  },
  '/readyz': {
    get: {
      ...gateway,
      summary: 'Readiness: every service answers its own /readyz',
      responses: {
        200: { description: 'All ready' },
        503: { description: 'Problem naming the services that are not ready' },
      },
    },
  },
  '/metrics': {
    get: { ...gateway, summary: 'Prometheus metrics', responses: { 200: text('Prometheus text format') } },
  },
  '/invite/{token}': {
    get: {
      ...gateway,
      summary: 'Invitation page (email link): accept or decline',
      parameters: token,
      responses: { 200: page('Form') },
    },
    post: { ...gateway, summary: 'Submit the invitation form', parameters: token, responses: { 200: page('Outcome') } },
  },
  '/set-password/{token}': {
    get: { ...gateway, summary: 'Set-password page (email link)', parameters: token, responses: { 200: page('Form') } },
    post: {
      ...gateway,
      summary: 'Submit the set-password form',
      parameters: token,
      responses: { 200: page('Outcome') },
    },
  },
};
