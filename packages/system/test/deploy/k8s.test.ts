import { describe, expect, it } from 'vitest';
import { indispensableVariables, issues, parseEnv, requiredVariables } from './support/k8s-env-schemas.ts';
import { unknownDeploymentFields } from './support/k8s-known-fields.ts';
import {
  type Container,
  type Deployment,
  envNames,
  type K8sObject,
  type NetworkPolicyPeer,
  named,
  ofKind,
  quantity,
  readYamlFile,
  render,
  resolveEnv,
  SERVICES,
  type Selector,
  type ServiceName,
  selects,
  shutdownTimeoutMs,
} from './support/k8s-manifests.ts';

// Every overlay as CI renders it; the base alone too, since overlays of an operator's own build on it.
// kubectl renders and parses them (no cluster); without kubectl these tests fail, they never skip.
const OVERLAYS = {
  base: { dir: 'infra/k8s/base', secretsExample: 'infra/k8s/base/secrets.example.yaml', scaled: true },
  'production-operators': {
    dir: 'infra/k8s/overlays/production-operators',
    secretsExample: 'infra/k8s/overlays/production-operators/secrets.example.yaml',
    scaled: true,
  },
  laptop: { dir: 'infra/k8s/overlays/laptop', secretsExample: undefined, scaled: false },
} as const;
type OverlayName = keyof typeof OVERLAYS;

const DATABASE_SERVICES = SERVICES.filter((s) => s !== 'gateway');
/** Idle RSS of one service process (bench/reports: 118–121 MB; 118 MB measured for feedback). */
const IDLE_RSS_BYTES = 118e6;

const rendered = new Map<OverlayName, K8sObject[]>();
function manifests(overlay: OverlayName): K8sObject[] {
  let objects = rendered.get(overlay);
  if (!objects) {
    objects = render(OVERLAYS[overlay].dir);
    rendered.set(overlay, objects);
  }
  return objects;
}

function deployment(objects: K8sObject[], service: ServiceName): Deployment {
  const found = named<Deployment>(objects, 'Deployment', service);
  if (!found) throw new Error(`no Deployment ${service}`);
  return found;
}

function container(objects: K8sObject[], service: ServiceName): Container {
  const found = deployment(objects, service).spec.template.spec.containers.find((c) => c.name === service);
  if (!found) throw new Error(`Deployment ${service} has no container named ${service}`);
  return found;
}

function httpPort(c: Container): number {
  const port = c.ports?.find((p) => p.name === 'http')?.containerPort;
  if (port === undefined) throw new Error(`${c.name} names no http port`);
  return port;
}

/** Secrets an operator in the render writes: MongoDBCommunity connection strings, the RabbitMQ default user. */
function operatorSecrets(objects: K8sObject[]): Set<string> {
  const names = new Set<string>();
  for (const mdb of ofKind(objects, 'MongoDBCommunity')) {
    for (const user of (mdb.spec?.users ?? []) as { connectionStringSecretName?: string }[]) {
      if (user.connectionStringSecretName) names.add(user.connectionStringSecretName);
    }
  }
  for (const cluster of ofKind(objects, 'RabbitmqCluster')) names.add(`${cluster.metadata.name}-default-user`);
  return names;
}

/** The labels of every pod the render creates, operator-made ones included. */
function podLabelSets(objects: K8sObject[]): Record<string, string>[] {
  const sets: Record<string, string>[] = [];
  for (const workload of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'StatefulSet')]) {
    sets.push((workload as Deployment).spec.template.metadata.labels ?? {});
  }
  type Templated = { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };
  for (const mdb of ofKind(objects, 'MongoDBCommunity')) {
    const labels = (mdb.spec?.statefulSet as Templated | undefined)?.spec?.template?.metadata?.labels;
    sets.push({ app: `${mdb.metadata.name}-svc`, ...labels });
  }
  for (const cluster of ofKind(objects, 'RabbitmqCluster')) {
    const override = (cluster.spec?.override as { statefulSet?: Templated } | undefined)?.statefulSet;
    sets.push({ 'app.kubernetes.io/name': cluster.metadata.name, ...override?.spec?.template?.metadata?.labels });
  }
  return sets;
}

interface PolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: { port?: number | string; protocol?: string }[];
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}
const policySpec = (policy: K8sObject) => policy.spec as unknown as PolicySpec;

function policiesFor(objects: K8sObject[], labels: Record<string, string>): PolicySpec[] {
  return ofKind(objects, 'NetworkPolicy')
    .map(policySpec)
    .filter((spec) => selects(spec.podSelector, labels));
}

/** A port as a policy may write it: its number, or the name the target's container gives it. */
const PORT_NAMES: Record<number, string[]> = { 8080: ['http'], 27017: ['mongo'], 5672: ['amqp'] };

function portMatches(rule: PolicyRule, port: number): boolean {
  return (
    rule.ports === undefined || rule.ports.some((p) => p.port === port || PORT_NAMES[port]?.includes(String(p.port)))
  );
}

function peersSelect(peers: NetworkPolicyPeer[] | undefined, labels: Record<string, string>): boolean {
  // No peers: any pod. A peer without a podSelector is a namespace or an address range, not these pods.
  return (
    peers === undefined || peers.some((peer) => peer.podSelector !== undefined && selects(peer.podSelector, labels))
  );
}

/**
 * Whether a connection from a pod with `from` labels to one with `target` labels on `port` gets
 * through: an egress rule of a policy on the caller and an ingress rule of a policy on the target
 * must both allow it (the default deny selects every pod, so neither side is ever unrestricted).
 */
function mayReach(objects: K8sObject[], from: Record<string, string>, target: Record<string, string>, port: number) {
  const leaves = policiesFor(objects, from).some((spec) =>
    (spec.egress ?? []).some((rule) => portMatches(rule, port) && peersSelect(rule.to, target)),
  );
  const enters = policiesFor(objects, target).some((spec) =>
    (spec.ingress ?? []).some((rule) => portMatches(rule, port) && peersSelect(rule.from, from)),
  );
  return leaves && enters;
}

/**
 * The laptop overlay is the one whose Secrets are in the render, so its environments can be built
 * whole and parsed by each service's schema, as the service does at boot.
 */
function laptopEnv(service: ServiceName): Record<string, string> {
  const objects = manifests('laptop');
  return resolveEnv(container(objects, service), objects).values;
}

describe.each(Object.keys(OVERLAYS) as OverlayName[])('the %s manifests', (overlay) => {
  const { scaled, secretsExample } = OVERLAYS[overlay];

  it('render with one Deployment per service, each running that service’s own image', () => {
    const objects = manifests(overlay);
    const services = ofKind<Deployment>(objects, 'Deployment')
      .filter((d) => d.spec.template.metadata.labels?.['app.kubernetes.io/part-of'] === 'convene')
      .map((d) => d.metadata.name);
    expect(services.sort()).toEqual([...SERVICES].sort());
    for (const service of SERVICES) {
      const image = container(objects, service).image;
      expect(image, service).toMatch(new RegExp(`(^|/)convene/${service}:[\\w.-]+$`));
      if (overlay !== 'base') expect(image, `${service} runs a pinned tag`).not.toMatch(/:latest$/);
    }
  });

  it.each(SERVICES)('%s: uses only fields the Kubernetes API defines (no misspelt field goes unnoticed)', (service) => {
    expect(unknownDeploymentFields(deployment(manifests(overlay), service).spec)).toEqual([]);
  });

  it.each(SERVICES)('%s: liveness on /healthz, readiness on /readyz, on the port the service listens on', (service) => {
    const objects = manifests(overlay);
    const c = container(objects, service);
    const port = httpPort(c);
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      if (probe?.httpGet) expect([port, 'http']).toContain(probe.httpGet.port);
    }
    expect(resolveEnv(c, objects).values.PORT, 'PORT is the container port').toBe(String(port));
    const service_ = named(objects, 'Service', service);
    expect(service_, `a Service named ${service}`).toBeDefined();
    expect(
      selects(
        { matchLabels: service_?.spec?.selector as Record<string, string> },
        deployment(objects, service).spec.template.metadata.labels,
      ),
      'the Service selects the pods',
    ).toBe(true);
  });

  it.each(SERVICES)('%s: requests and limits, the memory request above the measured idle RSS', (service) => {
    const { resources } = container(manifests(overlay), service);
    for (const resource of ['cpu', 'memory']) {
      expect(resources?.requests?.[resource], `requests.${resource}`).toBeDefined();
      expect(resources?.limits?.[resource], `limits.${resource}`).toBeDefined();
      expect(quantity(resources?.limits?.[resource] ?? '0')).toBeGreaterThanOrEqual(
        quantity(resources?.requests?.[resource] ?? '0'),
      );
    }
    expect(quantity(resources?.requests?.memory ?? '0')).toBeGreaterThan(IDLE_RSS_BYTES);
  });

  it.each(SERVICES)('%s: runs as non-root, unprivileged, read-only, with /tmp on an emptyDir', (service) => {
    const objects = manifests(overlay);
    const pod = deployment(objects, service).spec.template.spec;
    const c = container(objects, service);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser, 'a numeric user (the image names one, "node")').toBeGreaterThan(0);
    expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
    const security = c.securityContext;
    expect(security?.runAsNonRoot).toBe(true);
    expect(security?.allowPrivilegeEscalation).toBe(false);
    expect(security?.readOnlyRootFilesystem).toBe(true);
    expect(security?.privileged ?? false).toBe(false);
    expect(security?.capabilities?.drop).toContain('ALL');
    expect(security?.capabilities?.add ?? []).toEqual([]);
    const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(tmp, '/tmp is mounted').toBeDefined();
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, '/tmp is an emptyDir').toBeDefined();
  });

  it.each(SERVICES)(
    '%s: the grace period outlasts the preStop pause plus the services’ shutdown timeout',
    (service) => {
      const objects = manifests(overlay);
      const pod = deployment(objects, service).spec.template.spec;
      const preStop = container(objects, service).lifecycle?.preStop;
      const pauseSeconds = preStop?.sleep?.seconds ?? Number(preStop?.exec?.command.at(-1));
      expect(preStop?.exec?.command[0] === 'sleep' || preStop?.sleep !== undefined, 'a preStop pause').toBe(true);
      expect(pauseSeconds).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds, 'set explicitly').toBeGreaterThan(
        pauseSeconds + shutdownTimeoutMs() / 1000,
      );
    },
  );

  it.each(SERVICES)('%s: every variable its Env schema requires is set', (service) => {
    const objects = manifests(overlay);
    const names = envNames(container(objects, service), objects);
    const required = requiredVariables(service);
    expect(required.length, 'the schema was read').toBeGreaterThan(0);
    expect(required.filter((name) => !names.has(name))).toEqual([]);
    // Beyond the schema's own: what production refuses to go without (the laptop environment,
    // which parses whole, loses any one of them and is refused).
    const indispensable = indispensableVariables(service, laptopEnv(service));
    expect(indispensable.filter((name) => !names.has(name))).toEqual([]);
  });

  it.each(SERVICES)('%s: every Secret it references exists or is one the operator is told to create', (service) => {
    const objects = manifests(overlay);
    const missing = resolveEnv(container(objects, service), objects).unresolved.filter((u) => !u.optional);
    expect(missing.filter((u) => u.kind === 'ConfigMap')).toEqual([]);
    const listed = new Set(
      (secretsExample ? readYamlFile(secretsExample) : [])
        .filter((o) => o.kind === 'Secret')
        .map((o) => o.metadata.name),
    );
    const generated = operatorSecrets(objects);
    expect(missing.filter((u) => !listed.has(u.object) && !generated.has(u.object))).toEqual([]);
  });

  if (scaled) {
    it.each(SERVICES)(
      '%s: scales with a HorizontalPodAutoscaler and keeps replicas through a PodDisruptionBudget',
      (service) => {
        const objects = manifests(overlay);
        const labels = deployment(objects, service).spec.template.metadata.labels;
        type Hpa = { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number };
        const hpa = ofKind(objects, 'HorizontalPodAutoscaler')
          .map((o) => o.spec as unknown as Hpa)
          .find((s) => s.scaleTargetRef.kind === 'Deployment' && s.scaleTargetRef.name === service);
        expect(hpa, 'an HPA').toBeDefined();
        expect(hpa?.minReplicas ?? 1).toBeGreaterThanOrEqual(2);
        expect(hpa?.maxReplicas).toBeGreaterThanOrEqual(hpa?.minReplicas ?? 1);
        const pdb = ofKind(objects, 'PodDisruptionBudget').find((o) => selects(o.spec?.selector as Selector, labels));
        expect(pdb, 'a PDB selecting its pods').toBeDefined();
      },
    );
  } else {
    it('runs one replica of each service, with no autoscaler or disruption budget', () => {
      const objects = manifests(overlay);
      for (const service of SERVICES) expect(deployment(objects, service).spec.replicas, service).toBe(1);
      expect(ofKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
      expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    });
  }

  it('denies all traffic by default, and lets every pod resolve names', () => {
    const policies = ofKind(manifests(overlay), 'NetworkPolicy').map(policySpec);
    const denyAll = policies.find(
      (spec) =>
        Object.keys(spec.podSelector).length === 0 &&
        spec.policyTypes?.includes('Ingress') &&
        spec.policyTypes.includes('Egress') &&
        (spec.ingress ?? []).length === 0 &&
        (spec.egress ?? []).length === 0,
    );
    expect(denyAll, 'a default-deny policy').toBeDefined();
    const dns = policies.find(
      (spec) =>
        Object.keys(spec.podSelector).length === 0 &&
        (spec.egress ?? []).some((rule) => (rule.ports ?? []).some((p) => p.port === 53)),
    );
    expect(dns, 'DNS for every pod').toBeDefined();
  });

  it('lets only the gateway be reached from outside, and only through the one Ingress', () => {
    const objects = manifests(overlay);
    for (const service of SERVICES) {
      const labels = deployment(objects, service).spec.template.metadata.labels ?? {};
      const fromOutside = policiesFor(objects, labels).some((spec) =>
        (spec.ingress ?? []).some(
          (rule) => rule.from === undefined || rule.from.some((peer) => peer.namespaceSelector || peer.ipBlock),
        ),
      );
      expect(fromOutside, `${service} admits traffic from outside the namespace`).toBe(service === 'gateway');
    }
    const ingresses = ofKind(objects, 'Ingress');
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['gateway']);
    type Rules = { rules?: { http?: { paths: { backend: { service?: { name: string } } }[] } }[] };
    const backends = ingresses.flatMap((i) =>
      ((i.spec as Rules).rules ?? []).flatMap((r) => r.http?.paths.map((p) => p.backend.service?.name) ?? []),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
  });

  it('routes only the public surface to the gateway: not its metrics or probes', () => {
    type Paths = { rules?: { http?: { paths: { path: string; pathType: string }[] } }[] };
    const paths = ofKind(manifests(overlay), 'Ingress').flatMap((i) =>
      ((i.spec as Paths).rules ?? []).flatMap((r) => r.http?.paths ?? []),
    );
    // Kubernetes' matching: Exact is the whole path; Prefix matches whole path segments.
    const routed = (url: string) =>
      paths.some(({ path, pathType }) =>
        pathType === 'Exact' ? url === path : url === path || url.startsWith(path.endsWith('/') ? path : `${path}/`),
      );
    for (const open of [
      '/api/events',
      '/api/openapi.json',
      '/e/abc',
      '/invite/t',
      '/set-password/t',
      '/.well-known/jwks.json',
    ])
      expect(routed(open), `${open} reachable from outside`).toBe(true);
    for (const closed of ['/metrics', '/healthz', '/readyz', '/', '/events'])
      expect(routed(closed), `${closed} reachable from outside`).toBe(false);
  });

  it('lets each service reach auth’s keys, the services it calls, and nothing it does not call', () => {
    const objects = manifests(overlay);
    const pods = (service: ServiceName) => deployment(objects, service).spec.template.metadata.labels ?? {};
    const calls: Record<ServiceName, ServiceName[]> = {
      gateway: ['auth', 'events', 'invitations', 'feedback', 'notifier'],
      auth: [],
      events: ['auth'],
      invitations: ['auth', 'events'],
      feedback: ['auth', 'events'],
      notifier: ['auth'],
    };
    for (const from of SERVICES) {
      for (const to of SERVICES) {
        if (from === to) continue;
        expect(mayReach(objects, pods(from), pods(to), 8080), `${from} → ${to}`).toBe(calls[from].includes(to));
      }
    }
  });

  if (overlay !== 'base') {
    it.each(DATABASE_SERVICES)(
      '%s reaches its own database and the broker, and no other service’s database',
      (service) => {
        const objects = manifests(overlay);
        const from = deployment(objects, service).spec.template.metadata.labels ?? {};
        const labelSets = podLabelSets(objects);
        const own = labelSets.filter((l) => l['convene.io/database-of'] === service);
        expect(own.length, `pods of ${service}'s database`).toBeGreaterThan(0);
        for (const pod of own) expect(mayReach(objects, from, pod, 27017)).toBe(true);
        for (const pod of labelSets.filter(
          (l) => l['convene.io/database-of'] && l['convene.io/database-of'] !== service,
        )) {
          expect(mayReach(objects, from, pod, 27017), `${service} → ${pod['convene.io/database-of']}'s database`).toBe(
            false,
          );
        }
        const brokers = labelSets.filter((l) => l['convene.io/role'] === 'broker');
        expect(brokers.length).toBeGreaterThan(0);
        for (const pod of brokers) expect(mayReach(objects, from, pod, 5672)).toBe(true);
      },
    );
  }
});

describe('the production-operators overlay', () => {
  it('runs a three-node RabbitmqCluster, whose quorum queues survive one node', () => {
    const clusters = ofKind(manifests('production-operators'), 'RabbitmqCluster');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.spec?.replicas).toBe(3);
  });

  it.each(DATABASE_SERVICES)(
    '%s: its own three-member MongoDBCommunity replica set, SCRAM, MONGO_URL from its connection string',
    (service) => {
      const objects = manifests('production-operators');
      type User = {
        name: string;
        db: string;
        passwordSecretRef: { name: string };
        connectionStringSecretName?: string;
      };
      const replicaSets = ofKind(objects, 'MongoDBCommunity').filter((m) =>
        ((m.spec?.users ?? []) as User[]).some((u) => u.db === service),
      );
      expect(replicaSets).toHaveLength(1);
      const spec = replicaSets[0]?.spec as {
        members: number;
        type: string;
        security: { authentication: { modes: string[] } };
        users: User[];
      };
      expect(spec.type).toBe('ReplicaSet');
      expect(spec.members).toBe(3);
      expect(spec.security.authentication.modes).toContain('SCRAM');
      const user = spec.users.find((u) => u.db === service);
      const examples = new Set(
        readYamlFile(OVERLAYS['production-operators'].secretsExample).map((o) => o.metadata.name),
      );
      expect(
        examples.has(user?.passwordSecretRef.name ?? ''),
        'the user password Secret is one the operator is told to create',
      ).toBe(true);
      const mongoUrl = container(objects, service).env?.find((e) => e.name === 'MONGO_URL');
      expect(mongoUrl?.valueFrom?.secretKeyRef).toEqual({
        name: user?.connectionStringSecretName,
        key: 'connectionString.standard',
      });
    },
  );
});

describe('the laptop overlay', () => {
  it.each(SERVICES)(
    '%s: its whole environment, Secrets included, passes its Env schema in production mode',
    (service) => {
      const env = laptopEnv(service);
      expect(env.NODE_ENV).toBe('production');
      const result = parseEnv(service, env);
      expect(result.success, issues(result)).toBe(true);
      expect(
        Object.values(env).filter((value) => value.includes('$(')),
        'every $(VAR) expanded',
      ).toEqual([]);
    },
  );
});
