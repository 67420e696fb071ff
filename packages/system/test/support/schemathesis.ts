import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The schemathesis CLI `./convene test` installs (infra/local/schemathesis.sh): a Python venv in
 * the tools folder, so the version is the pinned one whatever the machine has on its PATH.
 */
export function schemathesisBinary(): string {
  const tools = process.env.CONVENE_TOOLS_DIR ?? join(homedir(), '.cache', 'convene-tools');
  return process.env.SCHEMATHESIS_BIN ?? join(tools, 'schemathesis', 'bin', 'schemathesis');
}

export interface SchemathesisRun {
  exitCode: number | null;
  /** Killed because the run outlasted `timeoutMs`. */
  timedOut: boolean;
  output: string;
  durationMs: number;
}

/** Runs the CLI to the end (or kills it at `timeoutMs`), stdout and stderr interleaved as it wrote them. */
export function runSchemathesis(
  args: string[],
  { timeoutMs, cwd }: { timeoutMs: number; cwd: string },
): Promise<SchemathesisRun> {
  const binary = schemathesisBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `schemathesis is not installed at ${binary}: \`./convene test\` installs it (infra/local/schemathesis.sh)`,
    );
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No colours or terminal-width wrapping in the summary a failing test prints.
      env: { ...process.env, NO_COLOR: '1', COLUMNS: '200', SCHEMATHESIS_TELEMETRY: 'false' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, timedOut, output: Buffer.concat(chunks).toString('utf8'), durationMs: Date.now() - started });
    });
  });
}
