import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../../../bin/demo.ts', import.meta.url));

export interface DemoOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `./convene demo` as a separate process, as an operator runs it; none of CONVENE_* leaks in from outside. */
export function runDemo(args: string[]): Promise<DemoOutcome> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CONVENE_')));
  const child = spawn(process.execPath, [demo, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
