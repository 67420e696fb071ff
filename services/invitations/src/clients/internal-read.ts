import { dependencyUnavailable } from '../errors.ts';

/** One GET to another service's /internal/* route: the JSON body, null on 404, 503 when it cannot answer. */
export async function internalRead<T>(
  baseUrl: string,
  path: string,
  timeoutMs: number,
  what: string,
): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw dependencyUnavailable(what);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw dependencyUnavailable(what);
  }
  return (await response.json()) as T;
}
