import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root: kustomize paths and the example files are read relative to it. */
export const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));

export const SERVICES = ['gateway', 'auth', 'events', 'invitations', 'feedback', 'notifier'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

export interface HttpProbe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface ContainerSecurity {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
  privileged?: boolean;
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: ContainerSecurity;
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  securityContext?: ContainerSecurity & { fsGroup?: number };
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: object }[];
}

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface NetworkPolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  // Each kind's spec is read through the accessors below, which name what they expect.
  spec?: Record<string, unknown>;
}

export interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: Selector;
    template: { metadata: Metadata; spec: PodSpec };
  };
}

/** Runs kubectl without a cluster: neither `kustomize` nor `annotate --local` contacts a server. */
function kubectl(args: string[], input?: string): string {
  try {
    return execFileSync('kubectl', args, {
      cwd: REPO,
      input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      // No kubeconfig: nothing here may reach a cluster, not even a developer's own.
      env: { ...process.env, KUBECONFIG: '/dev/null' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error('kubectl is not installed: the manifest checks need it (kubectl 1.27+, kustomize v5 built in)');
    }
    throw new Error(`kubectl ${args.join(' ')} failed:\n${e.stderr ?? e.message}`);
  }
}

/** YAML (one or many documents) → objects, with kubectl's own parser (no YAML library needed). */
export function yamlToObjects(yaml: string): K8sObject[] {
  // annotate --local prints each object as JSON without asking a server; the annotation is dropped.
  const json = kubectl(['annotate', '--local', '-f', '-', '-o', 'json', 'convene.io/parsed=1'], yaml);
  return splitJsonObjects(json).map((object) => {
    const annotations = object.metadata.annotations ?? {};
    delete annotations['convene.io/parsed'];
    if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
    return object;
  });
}

/** `kubectl kustomize <dir>` (a path from the repository's root), parsed. */
export function render(dir: string): K8sObject[] {
  return yamlToObjects(kubectl(['kustomize', dir]));
}

export function readYamlFile(path: string): K8sObject[] {
  return yamlToObjects(readFileSync(`${REPO}${path}`, 'utf8'));
}

/** kubectl prints one pretty JSON document per object, one after another. */
function splitJsonObjects(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) objects.push(JSON.parse(text.slice(start, i + 1)) as K8sObject);
    }
  }
  return objects;
}

export function ofKind<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function named<T extends K8sObject = K8sObject>(
  objects: K8sObject[],
  kind: string,
  name: string,
): T | undefined {
  return ofKind<T>(objects, kind).find((o) => o.metadata.name === name);
}

export function selects(selector: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => have[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    if (e.operator === 'In') return e.values?.includes(have[e.key] ?? '\u0000') ?? false;
    if (e.operator === 'NotIn') return !(e.values?.includes(have[e.key] ?? '\u0000') ?? false);
    if (e.operator === 'Exists') return e.key in have;
    return !(e.key in have);
  });
  return byLabel && byExpression;
}

/** Kubernetes quantities (128Mi, 0.5Gi, 500m, 1) as bytes or cores. */
export function quantity(text: string): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
  if (!match) throw new Error(`not a quantity: ${text}`);
  const units: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
  };
  const unit = units[match[2] ?? ''];
  if (unit === undefined) throw new Error(`unknown unit in ${text}`);
  return Number(match[1]) * unit;
}

function secretValue(secret: K8sObject, key: string): string | undefined {
  if (secret.stringData?.[key] !== undefined) return secret.stringData[key];
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

export interface ResolvedEnv {
  values: Record<string, string>;
  /** References that point at nothing in the render (a Secret the operator creates, say). */
  unresolved: { name: string; kind: 'Secret' | 'ConfigMap'; object: string; key: string; optional: boolean }[];
}

/**
 * A container's environment as the kubelet builds it: envFrom first, then env in order, `$(NAME)`
 * expanded from what is already defined. Objects missing from the render are reported, not guessed.
 */
export function resolveEnv(container: Container, objects: K8sObject[]): ResolvedEnv {
  const values: Record<string, string> = {};
  const unresolved: ResolvedEnv['unresolved'] = [];
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = ref && named(objects, kind, ref.name);
    if (!ref) continue;
    if (!object) {
      unresolved.push({ name: '*', kind, object: ref.name, key: '*', optional: false });
      continue;
    }
    for (const key of Object.keys({ ...object.data, ...object.stringData })) {
      const value = kind === 'Secret' ? secretValue(object, key) : object.data?.[key];
      if (value !== undefined) values[key] = value;
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      values[variable.name] = variable.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) =>
        values[name] !== undefined ? values[name] : whole,
      );
      continue;
    }
    const secretRef = variable.valueFrom?.secretKeyRef;
    const configRef = variable.valueFrom?.configMapKeyRef;
    const ref = secretRef ?? configRef;
    if (!ref) continue;
    const kind = secretRef ? 'Secret' : 'ConfigMap';
    const object = named(objects, kind, ref.name);
    const value = object && (kind === 'Secret' ? secretValue(object, ref.key) : object.data?.[ref.key]);
    if (value === undefined) {
      unresolved.push({ name: variable.name, kind, object: ref.name, key: ref.key, optional: ref.optional === true });
    } else {
      values[variable.name] = value;
    }
  }
  return { values, unresolved };
}

/** Every name the container's environment sets, whether or not its value is in the render. */
export function envNames(container: Container, objects: K8sObject[]): Set<string> {
  const resolved = resolveEnv(container, objects);
  return new Set([...Object.keys(resolved.values), ...resolved.unresolved.map((u) => u.name)]);
}

/** The default of kit's onShutdown (after it the process exits whatever still runs), read from its source. */
export function shutdownTimeoutMs(): number {
  const onShutdown = readFileSync(`${REPO}packages/kit/src/server/on-shutdown.ts`, 'utf8');
  const runService = readFileSync(`${REPO}packages/kit/src/server/run-service.ts`, 'utf8');
  const given = /timeoutMs:\s*([\d_]+)/.exec(runService) ?? /timeoutMs\s*=\s*([\d_]+)/.exec(onShutdown);
  if (!given?.[1]) throw new Error('could not find the shutdown timeout in kit (on-shutdown.ts / run-service.ts)');
  return Number(given[1].replaceAll('_', ''));
}
