/** What a {@link JsonClient} request answered. */
export interface JsonReply<T = Record<string, unknown>> {
  status: number;
  /**
   * The parsed JSON when the answer says it is JSON (`application/json`, `application/problem+json`, ...)
   * and has a body; `{}` when there is no body at all; otherwise the text (CSV, iCalendar, HTML, ...).
   */
  body: T;
  /** The body exactly as received. */
  text: string;
  headers: Headers;
}

export interface JsonRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as they are; they win over the client's own `Content-Type` and `Authorization`. */
  headers?: Record<string, string>;
  /** Send this exact body text (e.g. malformed JSON) instead of the JSON of `body`. */
  raw?: string;
}

/**
 * A small JSON client over real HTTP for tests. A body is sent as JSON (`raw` sends text as it is);
 * redirects are not followed, so a test sees the 30x answer itself.
 *
 * `B` is the type of `body` when a call does not name one; `O` lets a suite add options of its own
 * (a subclass maps them onto `headers` in an override of `request`).
 */
export class JsonClient<B = Record<string, unknown>, O extends JsonRequestOptions = JsonRequestOptions> {
  /** The base URL, without trailing slashes: paths start with `/`. */
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  async request<T = B>(method: string, path: string, body?: unknown, opts?: O): Promise<JsonReply<T>> {
    const { token, headers = {}, raw } = opts ?? {};
    const sent = new Headers();
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) sent.set('content-type', 'application/json');
    if (token) sent.set('authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) sent.set(name, value);
    const response = await fetch(`${this.url}${path}`, { method, headers: sent, body: payload, redirect: 'manual' });
    const text = await response.text();
    const json = /\bjson\b/i.test(response.headers.get('content-type') ?? '');
    const parsed: unknown = text === '' ? {} : json ? JSON.parse(text) : text;
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  get<T = B>(path: string, opts?: O) {
    return this.request<T>('GET', path, undefined, opts);
  }
  post<T = B>(path: string, body?: unknown, opts?: O) {
    return this.request<T>('POST', path, body, opts);
  }
  put<T = B>(path: string, body?: unknown, opts?: O) {
    return this.request<T>('PUT', path, body, opts);
  }
  patch<T = B>(path: string, body?: unknown, opts?: O) {
    return this.request<T>('PATCH', path, body, opts);
  }
  delete<T = B>(path: string, opts?: O) {
    return this.request<T>('DELETE', path, undefined, opts);
  }
}
