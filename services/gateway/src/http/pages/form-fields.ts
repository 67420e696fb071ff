import { discardReader } from '@convene/kit';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** These forms carry a name, a phone number or two passwords. */
const FORM_MAX_BYTES = 16 * 1024;

/**
 * The fields of a urlencoded form (what these pages' forms post), read strictly: bytes that are
 * not UTF-8, or %-escapes that do not decode to it, make the form unreadable (400) instead of
 * arriving as U+FFFD — a password with a replacement character is not the one the user typed. A
 * form is small: past FORM_MAX_BYTES (chunked bodies are not counted at the edge) it is 413.
 */
export async function formFields(
  request: Request,
): Promise<{ ok: true; fields: Record<string, string> } | { ok: false; status: 400 | 413 }> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
    return { ok: false, status: 400 };
  }
  const bytes = await readAtMost(request, FORM_MAX_BYTES);
  if (!bytes) return { ok: false, status: 413 };
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, status: 400 };
  }
  const fields: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const name = percentDecoded(at === -1 ? pair : pair.slice(0, at));
    const value = percentDecoded(at === -1 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) return { ok: false, status: 400 };
    fields[name] = value;
  }
  return { ok: true, fields };
}

/** The whole body, or undefined once it passes `max` bytes (the rest is not read). */
async function readAtMost(request: Request, max: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > max) {
      // Read what is still coming (bounded) so that closing this connection is not a reset.
      await discardReader(reader);
      return undefined;
    }
    chunks.push(value);
  }
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
