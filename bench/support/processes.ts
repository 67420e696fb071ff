// Servers of a benchmark, each its own Node process on 127.0.0.1: started on a free port, waited
// for on their /healthz, stopped with SIGTERM (so --cpu-prof profiles are written on the way out)
// and, if one does not end in time, SIGKILL. Every process started here is stopped by stopAll().
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../packages/kit/src/server/node-flags.ts';

export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  pid: number;
  /** ws:// address of the inspector when the process was started with --inspect. */
  inspector: string | undefined;
}

export interface StartOptions {
  /** Flags before the file: --cpu-prof, --inspect=127.0.0.1:0, ... */
  nodeArgs?: string[];
  /** Longest wait for /healthz to answer 200 (a busy machine starts a service slowly). */
  startTimeoutMs?: number;
  /**
   * Start with the flags and environment every service runs with (kit's node-flags.ts, as
   * ./convene start and the Docker image do). Default true; false for a plain `node`.
   */
  serviceFlags?: boolean;
}

const running = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node [nodeArgs] file` with PORT/HOST set and resolves once GET /healthz answers 200. */
export async function startProcess(
  name: string,
  file: string,
  env: Record<string, string>,
  { nodeArgs = [], startTimeoutMs = 90_000, serviceFlags = true }: StartOptions = {},
): Promise<Server> {
  const port = await freePort();
  const flags = serviceFlags ? SERVICE_NODE_FLAGS : [];
  const child = spawn(process.execPath, [...flags, ...nodeArgs, file], {
    env: {
      ...process.env,
      ...(serviceFlags ? SERVICE_PROCESS_ENV : {}),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let inspector: string | undefined;
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (inspector === undefined) {
      stderr += chunk;
      inspector = /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
    }
    // The inspector's own banner is noise; anything else the service says is worth seeing.
    for (const text of chunk.split('\n')) {
      if (text && !/Debugger (listening|attached|ending)|For help, see|Waiting for the debugger/.test(text)) {
        process.stderr.write(`[${name}] ${text}\n`);
      }
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.ok && (!nodeArgs.some((a) => a.startsWith('--inspect')) || inspector)) {
        return { name, url, child, pid: child.pid!, inspector };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer /healthz within ${startTimeoutMs} ms`);
}

/** SIGTERM, then the exit (graceful shutdown writes profiles); SIGKILL if it takes longer than the bound. */
export async function stopProcess(child: ChildProcess, timeoutMs = 25_000): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome !== 'late') return outcome;
  child.kill('SIGKILL');
  return exited;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

// Whatever happens to the runner, no server outlives it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Resident set of a process in MB, from /proc/<pid>/status (VmRSS); undefined off Linux. */
export function rssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(status, 'utf8'))?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat; undefined off Linux. */
export function cpuMs(pid: number): number | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
