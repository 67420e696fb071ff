// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function (name + script), and per
// package, over the samples of one time window. Sample timestamps are CLOCK_MONOTONIC µs, the
// clock of process.hrtime() in any process on the machine, so the runner can say "only the burst".
import { packageOf } from './heap-snapshot.ts';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameLine {
  frame: string;
  samples: number;
  /** Share of the non-idle samples of the window. */
  share: number;
  /** The nearest caller outside Node's own code, in most of this frame's samples, and how many. */
  caller?: { frame: string; samples: number };
}

export interface ProfileSummary {
  samples: number;
  /** Samples that were not (idle): the process had work. */
  busy: number;
  /** Mean sampling interval in the window, ms. */
  intervalMs: number;
  top: FrameLine[];
  /** Self time per package. */
  packages: FrameLine[];
  /** Samples with the package anywhere on the stack (synchronous callers only: an await starts a new stack). */
  onStack: FrameLine[];
}

/** V8's pseudo-frames keep their names; frames without a script are native code. */
const PSEUDO = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** A script's place: `<package>/<path in it>` for node_modules, the repo-relative path otherwise. */
export function shortUrl(url: string, workspaceRoot: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  if (path.startsWith(workspaceRoot)) return path.slice(workspaceRoot.length);
  return path;
}

export function summariseCpuProfile(
  text: string,
  { fromUs = 0, toUs = Number.POSITIVE_INFINITY, workspaceRoot = '/', top = 15 } = {},
): ProfileSummary {
  const profile = JSON.parse(text) as Profile;
  const frameOf = new Map<number, { frame: string; pkg: string }>();
  const parentOf = new Map<number, number>();
  for (const { id, callFrame, children = [] } of profile.nodes) {
    const name = callFrame.functionName || '(anonymous)';
    const where = callFrame.url ? shortUrl(callFrame.url, workspaceRoot) : '';
    const pkg = callFrame.url ? packageOf(callFrame.url, workspaceRoot) : PSEUDO.has(name) ? name : '(native)';
    frameOf.set(id, { frame: where ? `${name} ${where}` : name, pkg });
    for (const child of children) parentOf.set(child, id);
  }
  const stackPackages = new Map<number, string[]>();
  const packagesOnStack = (id: number) => {
    let known = stackPackages.get(id);
    if (!known) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
        const { pkg } = frameOf.get(at)!;
        if (!PSEUDO.has(pkg)) seen.add(pkg);
      }
      known = [...seen];
      stackPackages.set(id, known);
    }
    return known;
  };
  // Native and Node-internal frames (socket writes, crypto jobs) say little alone: who called them.
  const callerOf = (id: number) => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const { frame, pkg } = frameOf.get(at)!;
      if (!PSEUDO.has(pkg) && pkg !== '(native)' && pkg !== '(node internals)') return frame;
    }
    return '(none)';
  };
  const frames = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  const packages = new Map<string, number>();
  const onStack = new Map<string, number>();
  let samples = 0;
  let idle = 0;
  let first = Number.NaN;
  let last = Number.NaN;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) continue;
    if (Number.isNaN(first)) first = at;
    last = at;
    const { frame, pkg } = frameOf.get(profile.samples[i]!)!;
    samples++;
    if (frame === '(idle)') {
      idle++;
      continue;
    }
    frames.set(frame, (frames.get(frame) ?? 0) + 1);
    const byCaller = callers.get(frame) ?? new Map<string, number>();
    const caller = callerOf(profile.samples[i]!);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + 1);
    callers.set(frame, byCaller);
    packages.set(pkg, (packages.get(pkg) ?? 0) + 1);
    for (const on of packagesOnStack(profile.samples[i]!)) onStack.set(on, (onStack.get(on) ?? 0) + 1);
  }
  const busy = samples - idle;
  const lines = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, count]) => {
        const [caller, samples] = [...(callers.get(frame) ?? [])].sort((a, b) => b[1] - a[1])[0] ?? [];
        return {
          frame,
          samples: count,
          share: busy ? count / busy : 0,
          ...(caller === undefined ? {} : { caller: { frame: caller, samples: samples! } }),
        };
      });
  return {
    samples,
    busy,
    intervalMs: samples > 1 ? (last - first) / 1000 / (samples - 1) : 0,
    top: lines(frames, top),
    packages: lines(packages, 10).map(({ caller: _, ...line }) => line),
    onStack: lines(new Map([...onStack].filter(([pkg]) => pkg !== '(native)' && pkg !== '(node internals)')), 12).map(
      ({ caller: _, ...line }) => line,
    ),
  };
}
