/**
 * The fields of the Kubernetes API (core/v1, apps/v1) that a service Deployment may use. Without a
 * cluster nothing else rejects a misspelt field (`readinesProbe`, `terminationGracePeriodSecond`),
 * which the API server's strict validation would refuse, or silently drop under warn.
 */
const FIELDS: Record<string, readonly string[]> = {
  deploymentSpec: [
    'replicas',
    'selector',
    'template',
    'strategy',
    'minReadySeconds',
    'revisionHistoryLimit',
    'paused',
    'progressDeadlineSeconds',
  ],
  podSpec: [
    'containers',
    'initContainers',
    'volumes',
    'securityContext',
    'serviceAccountName',
    'automountServiceAccountToken',
    'enableServiceLinks',
    'terminationGracePeriodSeconds',
    'topologySpreadConstraints',
    'affinity',
    'nodeSelector',
    'tolerations',
    'priorityClassName',
    'imagePullSecrets',
    'restartPolicy',
    'dnsPolicy',
    'dnsConfig',
    'hostname',
    'subdomain',
    'schedulerName',
    'shareProcessNamespace',
    'runtimeClassName',
    'preemptionPolicy',
    'readinessGates',
  ],
  container: [
    'name',
    'image',
    'imagePullPolicy',
    'command',
    'args',
    'workingDir',
    'ports',
    'env',
    'envFrom',
    'resources',
    'resizePolicy',
    'volumeMounts',
    'livenessProbe',
    'readinessProbe',
    'startupProbe',
    'lifecycle',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'securityContext',
    'stdin',
    'stdinOnce',
    'tty',
  ],
  probe: [
    'exec',
    'httpGet',
    'tcpSocket',
    'grpc',
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
    'terminationGracePeriodSeconds',
  ],
  podSecurityContext: [
    'runAsUser',
    'runAsGroup',
    'runAsNonRoot',
    'fsGroup',
    'fsGroupChangePolicy',
    'supplementalGroups',
    'seccompProfile',
    'seLinuxOptions',
    'sysctls',
    'appArmorProfile',
  ],
  securityContext: [
    'runAsUser',
    'runAsGroup',
    'runAsNonRoot',
    'allowPrivilegeEscalation',
    'readOnlyRootFilesystem',
    'capabilities',
    'privileged',
    'seccompProfile',
    'seLinuxOptions',
    'procMount',
    'appArmorProfile',
  ],
  resources: ['requests', 'limits', 'claims'],
  lifecycle: ['preStop', 'postStart', 'stopSignal'],
  handler: ['exec', 'httpGet', 'tcpSocket', 'sleep'],
};

type Tree = Record<string, unknown>;

function check(value: unknown, kind: string, path: string, found: string[]): void {
  if (value === undefined || value === null || typeof value !== 'object') return;
  const allowed = FIELDS[kind] ?? [];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) found.push(`${path}.${key}`);
  }
}

/** Paths of fields the API does not define, in a Deployment's spec, pod and containers. */
export function unknownDeploymentFields(spec: unknown): string[] {
  const found: string[] = [];
  const deployment = spec as Tree;
  check(deployment, 'deploymentSpec', 'spec', found);
  const pod = (deployment.template as Tree | undefined)?.spec as Tree | undefined;
  check(pod, 'podSpec', 'spec.template.spec', found);
  check(pod?.securityContext, 'podSecurityContext', 'spec.template.spec.securityContext', found);
  for (const [index, container] of ((pod?.containers ?? []) as Tree[]).entries()) {
    const at = `spec.template.spec.containers[${index}]`;
    check(container, 'container', at, found);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      check(container[probe], 'probe', `${at}.${probe}`, found);
    }
    check(container.securityContext, 'securityContext', `${at}.securityContext`, found);
    check(container.resources, 'resources', `${at}.resources`, found);
    const lifecycle = container.lifecycle as Tree | undefined;
    check(lifecycle, 'lifecycle', `${at}.lifecycle`, found);
    for (const hook of ['preStop', 'postStart']) check(lifecycle?.[hook], 'handler', `${at}.lifecycle.${hook}`, found);
  }
  return found;
}
