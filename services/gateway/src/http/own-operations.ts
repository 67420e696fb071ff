import type { PathItem } from '../domain/merge-openapi.ts';

const gateway = { tags: ['gateway'], 'x-service': 'gateway' };
const text = (description: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' } } } });
const page = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const token = [{ name: 'token', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }];
/** What a page answers besides its form: the service's refusal, or that it could not be reached. */
const pageFailures = (extra: Record<number, unknown> = {}) => ({
  400: page('The service refused the link or the form (the page says why)'),
  404: page('The link is not valid'),
  409: page('The invitation was already answered'),
  410: page('The link has expired'),
  429: page('Too many link checks from this address; see Retry-After'),
  502: page('The service failed'),
  504: page('The service did not answer in time'),
  ...extra,
});
/** A form post: strict urlencoded UTF-8 (pages/form-fields.ts); no body or another encoding is 400. */
const form = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required } } },
});
const formFailures = pageFailures({
  413: page('The form is larger than a form of this page can be'),
});

/** The gateway's own operations, listed in the merged document beside the services'. */
export const GATEWAY_OPERATIONS: Record<string, PathItem> = {
  '/healthz': {
    get: {
      ...gateway,
      summary: 'Liveness, with the state of each service: status ok, or degraded naming the ones not ready',
      responses: { 200: { description: 'Alive (status ok or degraded, checks per service)' } },
    },
  },
  '/readyz': {
    get: {
      ...gateway,
      summary: 'Readiness of this gateway (it routes); the services are reported by /healthz, not required',
      responses: {
        200: { description: 'Ready' },
        503: { description: 'Problem naming what is not ready' },
      },
    },
  },
  '/metrics': {
    get: { ...gateway, summary: 'Prometheus metrics', responses: { 200: text('Prometheus text format') } },
  },
  '/e/{id}': {
    get: {
      ...gateway,
      summary: 'Event page (email link): what, when in its own zone, where, host, seats, calendar file',
      description:
        'Reads GET /api/events/{id} as the visitor (their access_token cookie, when they have one). An invite-only event the visitor may not see is the same 404 as an unknown id, so that its existence stays private.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
      responses: {
        200: page('The event'),
        403: page('A private event the visitor may not see'),
        404: page('No public event at this link (unknown, or private)'),
        429: page('Too many requests from this address; see Retry-After'),
        502: page('The events service failed'),
        504: page('The events service did not answer in time'),
      },
    },
  },
  '/invite/{token}': {
    get: {
      ...gateway,
      summary: 'Invitation page (email link): accept or decline',
      parameters: token,
      responses: { 200: page('Form'), ...pageFailures() },
    },
    post: {
      ...gateway,
      summary: 'Submit the invitation form',
      parameters: token,
      requestBody: form({
        action: { type: 'string', enum: ['accept', 'decline'] },
        full_name: { type: 'string' },
        phone: { type: 'string' },
      }),
      responses: { 200: page('Outcome'), ...formFailures },
    },
  },
  '/set-password/{token}': {
    get: {
      ...gateway,
      summary: 'Set-password page (email link)',
      parameters: token,
      responses: { 200: page('Form'), ...pageFailures() },
    },
    post: {
      ...gateway,
      summary: 'Submit the set-password form',
      parameters: token,
      requestBody: form({ password: { type: 'string', minLength: 1 }, password2: { type: 'string', minLength: 1 } }, [
        'password',
        'password2',
      ]),
      responses: { 200: page('Outcome'), ...formFailures },
    },
  },
};
