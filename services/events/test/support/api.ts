export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Send this exact body text (e.g. malformed JSON). */
  raw?: string;
}

/**
 * A small JSON client over real HTTP. Point it at the service directly or, for through-gateway
 * runs, at the gateway: tests take their base URL from `EVENTS_E2E_BASE_URL` when it is set
 * (see harness.ts), so the same assertions run either way.
 */
export class Api {
  readonly url: string;
  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    { token, headers = {}, raw }: RequestOptions = {},
  ): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (token) (init.headers as Record<string, string>).Authorization = `Bearer ${token}`;
    if (raw !== undefined || body !== undefined) {
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
      init.body = raw ?? JSON.stringify(body);
    }
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  get<T = Record<string, unknown>>(path: string, opts?: RequestOptions) {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('POST', path, body, opts);
  }
  put<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PUT', path, body, opts);
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown, opts?: RequestOptions) {
    return this.request<T>('PATCH', path, body, opts);
  }
  delete<T = Record<string, unknown>>(path: string, opts?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, opts);
  }
}
