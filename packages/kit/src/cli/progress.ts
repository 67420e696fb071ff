/** Where progress goes: stderr by default, so stdout stays the command's result. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** `done` items of the total so far; `detail` is shown after the count (e.g. "3 failed"). */
  update(done: number, detail?: string): void;
  /** The final state, on a line of its own. */
  finish(done: number, detail?: string): void;
}

export interface ProgressOptions {
  label: string;
  /** Items expected; null when unknown (a count is shown instead of a bar). */
  total: number | null;
  stream?: ProgressStream;
  /** Off a terminal: one line per this many items (and one at the end). Default 100. */
  every?: number;
  /** On a terminal: redraw at most this often. Default 100 ms. */
  redrawMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;

/**
 * Progress of long work. On a terminal one line redrawn in place (a bar when the total is known);
 * elsewhere — a log file, CI, a pipe — a plain line every `every` items, since carriage returns
 * would pile up there as one unreadable line.
 */
export function progress({
  label,
  total,
  stream = process.stderr,
  every = 100,
  redrawMs = 100,
  now = Date.now,
}: ProgressOptions): Progress {
  const tty = stream.isTTY === true;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastLine = 0;
  const line = (done: number, detail?: string) => {
    const count = total === null ? `${done}` : `${done}/${total}`;
    const suffix = detail ? ` ${detail}` : '';
    if (!tty || total === null || total === 0) return `${label}: ${count}${suffix}`;
    const share = Math.min(1, done / total);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
    return `${label} [${bar}] ${String(Math.floor(share * 100)).padStart(3)}% ${count}${suffix}`;
  };
  const fit = (text: string) => (stream.columns ? text.slice(0, Math.max(10, stream.columns - 1)) : text);
  return {
    update(done, detail) {
      if (tty) {
        const t = now();
        if (t - lastDraw < redrawMs) return;
        lastDraw = t;
        stream.write(`\r\x1b[2K${fit(line(done, detail))}`);
      } else if (done - lastLine >= every) {
        lastLine = done - (done % every);
        stream.write(`${line(done, detail)}\n`);
      }
    },
    finish(done, detail) {
      stream.write(tty ? `\r\x1b[2K${fit(line(done, detail))}\n` : `${line(done, detail)}\n`);
    },
  };
}
