import { randomBytes } from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as a client of the documented API
export type Json = Record<string, any>;

/** A step of the story that did not happen: what was tried, and the system's own words for why. */
export class StepFailed extends Error {}

export interface Answer {
  status: number;
  body: Json;
}

/**
 * The public API through the gateway. Every call of one step shares a W3C trace id the demo
 * chose (so the step can be found in the trace UI) and sends a request id naming the run and the
 * step (so it can be found in the logs).
 */
export class GatewayClient {
  private trace = newTraceId();
  private step = 'start';
  private calls = 0;
  /** The trace id of each step, by its name. */
  readonly traces = new Map<string, string>();

  readonly url: string;
  private readonly run: string;

  constructor(url: string, run: string) {
    this.url = url;
    this.run = run;
  }

  /** Calls from now on belong to this step (a new trace). */
  beginStep(name: string): void {
    this.step = name;
    this.trace = newTraceId();
    this.traces.set(name, this.trace);
  }

  async request(method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      traceparent: `00-${this.trace}-${randomBytes(8).toString('hex')}-01`,
      'x-request-id': `demo-${this.run}-${this.step}-${++this.calls}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (err) {
      throw new StepFailed(`${method} ${path}: the gateway at ${this.url} did not answer (${reasonOf(err)})`);
    }
    const text = await res.text();
    let parsed: Json = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { detail: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
  }

  /** The answer's body when its status is the expected one; otherwise the step fails with the problem's detail. */
  async expect(status: number, method: string, path: string, body?: unknown, token?: string): Promise<Json> {
    const answer = await this.request(method, path, body, token);
    if (answer.status !== status) throw new StepFailed(`${method} ${path}: ${problemText(answer)}`);
    return answer.body;
  }
}

/** A problem+json answer in one line: status, code and detail (and the field errors of a 400). */
export function problemText({ status, body }: Answer): string {
  const code = typeof body.code === 'string' ? ` ${body.code}` : '';
  const detail = typeof body.detail === 'string' ? `: ${body.detail}` : '';
  const fields =
    body.errors && typeof body.errors === 'object'
      ? ` (${Object.entries(body.errors as Record<string, string[]>)
          .map(([field, messages]) => `${field}: ${[messages].flat().join(' ')}`)
          .join('; ')})`
      : '';
  const id = typeof body.request_id === 'string' ? ` [request ${body.request_id}]` : '';
  return `${status}${code}${detail}${fields}${id}`;
}

export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  if (err.name === 'TimeoutError') return 'no answer within 20 s';
  return cause?.code ?? cause?.message ?? err.message;
}

function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
