// Reads a V8 .heapsnapshot and says what holds the heap: the dominator tree (Cooper, Harvey and
// Kennedy's iterative algorithm over the snapshot's edges, weak edges ignored, as DevTools does),
// then the retained size per constructor (not counted twice when one such object holds another),
// per package (each object goes to the nearest dominator that belongs to a module: its script,
// a function defined there, its module record) and the single biggest retainers with a path.

export interface ConstructorLine {
  name: string;
  count: number;
  selfBytes: number;
  /** What these objects keep alive, counted once even when one of them holds another. */
  retainedBytes: number;
}

export interface PackageLine {
  name: string;
  scripts: number;
  /** Source text of its modules held by the engine. */
  sourceBytes: number;
  /** Everything whose nearest module-owned dominator belongs to this package (code, data, source). */
  retainedBytes: number;
}

export interface Retainer {
  name: string;
  retainedBytes: number;
  /** How it is reached from a GC root (closest retainer first). */
  path: string;
}

export interface HeapSummary {
  nodes: number;
  totalBytes: number;
  byNodeType: { type: string; bytes: number }[];
  byConstructor: ConstructorLine[];
  byPackage: PackageLine[];
  biggest: Retainer[];
}

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * `@scope/name` or `name` for node_modules, `@convene/<dir>` for the workspace, `node:<dep>` for a
 * library bundled into Node (amaro, undici, ...), `(node internals)` for the rest of Node's own code.
 */
export function packageOf(url: string, workspaceRoot: string): string {
  const bundled = /^node:internal\/deps\/([^/]+)/.exec(url)?.[1];
  if (bundled) return `node:${bundled}`;
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [first, second] = path.slice(inModules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? path);
  }
  if (path.startsWith(workspaceRoot)) {
    const [, dir] = path.slice(workspaceRoot.length).split('/');
    return `@convene/${dir}`;
  }
  return '(node internals)';
}

export function summariseHeapSnapshot(text: string, { workspaceRoot = '/', top = 20 } = {}): HeapSummary {
  const snapshot = JSON.parse(text) as Snapshot;
  const { meta } = snapshot.snapshot;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const [T, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    meta.node_fields.indexOf(f),
  ) as [number, number, number, number];
  const [ET, ENAME, ETO] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / NF;
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const element = edgeTypes.indexOf('element');
  const hidden = edgeTypes.indexOf('hidden');

  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, at = 0; i < count; i++) {
    firstEdge[i] = at;
    at += nodes[i * NF + EDGES]! * EF;
  }
  firstEdge[count] = edges.length;
  const type = (i: number) => nodeTypes[nodes[i * NF + T]!]!;
  const nameOf = (i: number) => strings[nodes[i * NF + NAME]!]!;
  const size = (i: number) => nodes[i * NF + SIZE]!;
  // DevTools' rule: weak edges never retain; shortcut edges only from the root.
  const essential = (from: number, edge: number) =>
    edges[edge + ET] !== weak && (edges[edge + ET] !== shortcut || from === 0);
  const edgeName = (edge: number) =>
    edges[edge + ET] === element || edges[edge + ET] === hidden
      ? `[${edges[edge + ENAME]}]`
      : String(strings[edges[edge + ENAME]!]);
  const edgeTo = (node: number, name: string): number | undefined => {
    for (let x = firstEdge[node]!; x < firstEdge[node + 1]!; x += EF) {
      if (edges[x + ENAME] !== undefined && edges[x + ET] !== element && edges[x + ET] !== hidden) {
        if (strings[edges[x + ENAME]!] === name) return edges[x + ETO]! / NF;
      }
    }
    return undefined;
  };

  // Depth-first postorder from the root over the edges that retain.
  const post = new Int32Array(count).fill(-1);
  const order: number[] = [];
  {
    const visited = new Uint8Array(count);
    const stack = [0];
    const cursor = new Uint32Array(count);
    visited[0] = 1;
    cursor[0] = firstEdge[0]!;
    while (stack.length) {
      const v = stack[stack.length - 1]!;
      let pushed = false;
      while (cursor[v]! < firstEdge[v + 1]!) {
        const x = cursor[v]!;
        cursor[v] = x + EF;
        if (!essential(v, x)) continue;
        const w = edges[x + ETO]! / NF;
        if (!visited[w]) {
          visited[w] = 1;
          cursor[w] = firstEdge[w]!;
          stack.push(w);
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        post[v] = order.length;
        order.push(v);
        stack.pop();
      }
    }
  }

  // Predecessors (reachable ones only) for the dominator iteration.
  const predCount = new Uint32Array(count + 1);
  for (let v = 0; v < count; v++) {
    if (post[v]! < 0) continue;
    for (let x = firstEdge[v]!; x < firstEdge[v + 1]!; x += EF) {
      if (essential(v, x)) predCount[edges[x + ETO]! / NF]!++;
    }
  }
  const predStart = new Uint32Array(count + 1);
  for (let v = 0; v < count; v++) predStart[v + 1] = predStart[v]! + predCount[v]!;
  const preds = new Uint32Array(predStart[count]!);
  const fill = predStart.slice(0, count);
  for (let v = 0; v < count; v++) {
    if (post[v]! < 0) continue;
    for (let x = firstEdge[v]!; x < firstEdge[v + 1]!; x += EF) {
      if (essential(v, x)) preds[fill[edges[x + ETO]! / NF]!++] = v;
    }
  }

  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const v = order[k]!;
      let next = -1;
      for (let p = predStart[v]!; p < predStart[v + 1]!; p++) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        next = next === -1 ? u : intersect(u, next);
      }
      if (next !== -1 && idom[v] !== next) {
        idom[v] = next;
        changed = true;
      }
    }
  }

  const retained = new Float64Array(count);
  for (const v of order) retained[v]! += size(v);
  for (const v of order) if (v !== 0) retained[idom[v]!]! += retained[v]!;

  // Children lists of the dominator tree, for walks from the root down.
  const childCount = new Uint32Array(count + 1);
  for (const v of order) if (v !== 0) childCount[idom[v]!]!++;
  const childStart = new Uint32Array(count + 1);
  for (let v = 0; v < count; v++) childStart[v + 1] = childStart[v]! + childCount[v]!;
  const children = new Uint32Array(childStart[count]!);
  const childFill = childStart.slice(0, count);
  for (const v of order) if (v !== 0) children[childFill[idom[v]!]!++] = v;

  // DevTools' class names: constructor names for objects, a bracketed kind for the rest.
  const className = (v: number) => {
    const t = type(v);
    if (t === 'object' || t === 'native') return nameOf(v);
    if (t === 'hidden' || t === 'object shape') return '(system)';
    if (t === 'string' || t === 'concatenated string' || t === 'sliced string') return '(string)';
    if (t === 'code') return '(compiled code)';
    return `(${t})`;
  };

  // Which nodes belong to a module: scripts by their URL, functions by their script, module
  // records (ESM ModuleWrap.url, CommonJS Module.filename).
  const owner = new Map<number, string>();
  const looksLikeUrl = (name: string) => /^(file:\/\/|\/|node:)/.test(name);
  const sourceBytes = new Map<string, number>();
  const scripts = new Map<string, number>();
  for (let v = 0; v < count; v++) {
    if (post[v]! < 0) continue;
    const t = type(v);
    if (t === 'code' && looksLikeUrl(nameOf(v))) {
      const source = edgeTo(v, 'source');
      if (source === undefined) continue;
      const pkg = packageOf(nameOf(v), workspaceRoot);
      owner.set(v, pkg);
      scripts.set(pkg, (scripts.get(pkg) ?? 0) + 1);
      sourceBytes.set(pkg, (sourceBytes.get(pkg) ?? 0) + size(source));
    } else if (t === 'object' && (nameOf(v) === 'ModuleWrap' || nameOf(v) === 'Module')) {
      const url = edgeTo(v, nameOf(v) === 'ModuleWrap' ? 'url' : 'filename');
      if (url !== undefined && looksLikeUrl(nameOf(url))) owner.set(v, packageOf(nameOf(url), workspaceRoot));
    }
  }
  const scriptPackage = (sfi: number) => {
    const script = edgeTo(sfi, 'script');
    return script === undefined ? undefined : owner.get(script);
  };
  const functionPackage = (v: number) => {
    const shared = edgeTo(v, 'shared');
    return shared === undefined ? undefined : scriptPackage(shared);
  };
  for (let v = 0; v < count; v++) {
    if (post[v]! < 0 || owner.has(v)) continue;
    const t = type(v);
    if (t === 'object' && nameOf(v) === 'system / Context') {
      // A scope belongs to the package whose functions close over it, when they all agree.
      let pkg: string | undefined;
      let agreed = true;
      for (let p = predStart[v]!; p < predStart[v + 1]! && agreed; p++) {
        const from = preds[p]!;
        if (type(from) !== 'closure') continue;
        const theirs = functionPackage(from);
        if (theirs === undefined || (pkg !== undefined && theirs !== pkg)) agreed = false;
        else pkg = theirs;
      }
      if (agreed && pkg) owner.set(v, pkg);
    } else if (t === 'closure') {
      const pkg = functionPackage(v);
      if (pkg) owner.set(v, pkg);
    } else if (t === 'code') {
      const pkg = scriptPackage(v);
      if (pkg) owner.set(v, pkg);
    }
  }

  // One walk down the dominator tree: per-class retained sizes (outermost of each class only) and
  // each node's self size to the package of its nearest module-owned dominator.
  const byClass = new Map<string, ConstructorLine>();
  const inside = new Map<string, number>();
  const byPkg = new Map<string, number>();
  {
    const stack: { v: number; cls: string; pkg: string; next: number }[] = [];
    const enter = (v: number, parentPkg: string) => {
      const cls = className(v);
      const line = byClass.get(cls) ?? { name: cls, count: 0, selfBytes: 0, retainedBytes: 0 };
      line.count++;
      line.selfBytes += size(v);
      if (!inside.get(cls)) line.retainedBytes += retained[v]!;
      byClass.set(cls, line);
      inside.set(cls, (inside.get(cls) ?? 0) + 1);
      const pkg = owner.get(v) ?? parentPkg;
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + size(v));
      stack.push({ v, cls, pkg, next: childStart[v]! });
    };
    enter(0, '(not held by any one module)');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < childStart[top.v + 1]!) enter(children[top.next++]!, top.pkg);
      else {
        inside.set(top.cls, inside.get(top.cls)! - 1);
        stack.pop();
      }
    }
  }

  // A readable path to a node: from it, retainer by retainer, towards the root.
  const retainersOf = (target: number) => {
    const out: { from: number; edge: number }[] = [];
    for (let p = predStart[target]!; p < predStart[target + 1]!; p++) {
      const from = preds[p]!;
      for (let x = firstEdge[from]!; x < firstEdge[from + 1]!; x += EF) {
        if (edges[x + ETO]! / NF === target && essential(from, x)) out.push({ from, edge: x });
      }
    }
    return out;
  };
  const label = (v: number) => {
    const name = nameOf(v).replace(/\s+/g, ' ');
    return type(v) === 'object' || type(v) === 'closure' || type(v) === 'native'
      ? `${name.slice(0, 60)}${type(v) === 'closure' ? '()' : ''}`
      : `(${type(v)}) ${name.slice(0, 60)}`;
  };
  // Distance from the root over retaining edges: a path follows the retainer closest to the root,
  // as DevTools' retainers view does, so it says how the object is reachable at all.
  const distance = new Int32Array(count).fill(-1);
  {
    distance[0] = 0;
    let frontier = [0];
    while (frontier.length) {
      const next: number[] = [];
      for (const v of frontier) {
        for (let x = firstEdge[v]!; x < firstEdge[v + 1]!; x += EF) {
          const w = edges[x + ETO]! / NF;
          if (distance[w] === -1 && essential(v, x)) {
            distance[w] = distance[v]! + 1;
            next.push(w);
          }
        }
      }
      frontier = next;
    }
  }
  const pathTo = (v: number) => {
    const steps: string[] = [];
    const seen = new Set([v]);
    for (let at = v; steps.length < 6 && at !== 0; ) {
      const next = retainersOf(at)
        .filter(({ from }) => !seen.has(from) && from !== 0 && type(from) !== 'synthetic' && distance[from]! >= 0)
        .sort((a, b) => distance[a.from]! - distance[b.from]!)[0];
      if (!next) break;
      steps.push(`.${edgeName(next.edge)} of ${label(next.from)}`);
      seen.add(next.from);
      at = next.from;
    }
    return steps.join(' ← ');
  };
  // The biggest retainers: the largest nodes that are not just a wrapper of a larger one below.
  const candidates = order
    .filter((v) => v !== 0 && type(v) !== 'synthetic' && retained[v]! >= 256 * 1024)
    .filter((v) => {
      const parent = idom[v]!;
      return parent === 0 || type(parent) === 'synthetic' || retained[v]! < retained[parent]! * 0.9;
    })
    .sort((a, b) => retained[b]! - retained[a]!)
    .slice(0, top);

  const totals = new Map<string, number>();
  let totalBytes = 0;
  for (let v = 0; v < count; v++) {
    totals.set(type(v), (totals.get(type(v)) ?? 0) + size(v));
    totalBytes += size(v);
  }
  return {
    nodes: count,
    totalBytes,
    byNodeType: [...totals].map(([t, bytes]) => ({ type: t, bytes })).sort((a, b) => b.bytes - a.bytes),
    byConstructor: [...byClass.values()].sort((a, b) => b.retainedBytes - a.retainedBytes).slice(0, top),
    byPackage: [...byPkg]
      .map(([name, bytes]) => ({
        name,
        scripts: scripts.get(name) ?? 0,
        sourceBytes: sourceBytes.get(name) ?? 0,
        retainedBytes: bytes,
      }))
      .sort((a, b) => b.retainedBytes - a.retainedBytes)
      .slice(0, top),
    biggest: candidates.map((v) => ({ name: label(v), retainedBytes: retained[v]!, path: pathTo(v) })),
  };
}
