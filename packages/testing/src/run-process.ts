import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The repository's root, where `bin/convene.ts` is. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs `./convene <args>` as an operator would (node bin/convene.ts, stdout and stderr piped, so
 * not a terminal) and resolves with its exit code and output. Asynchronous on purpose: a test
 * whose services run in its own process must keep serving them while the command talks to them.
 * Killed after `timeoutMs` (a hung command fails the test rather than the run).
 */
export function runConvene(
  args: readonly string[],
  { env = {}, timeoutMs = 60_000 }: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/convene.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
