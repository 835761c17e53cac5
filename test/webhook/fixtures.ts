/** Admission requests for the webhook tests. */
import type { AdmissionRequest } from '../../src/webhook/decide.js';
import { parsePolicy, type WebhookPolicy } from '../../src/webhook/policy.js';

export function policy(yaml: string): WebhookPolicy {
  return parsePolicy(`apiVersion: kubeladder.io/v1\nkind: WebhookPolicy\n${yaml}`, 'test-policy.yaml');
}

export function pod(name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', ...extra }, spec };
}

export const privilegedSpec = () => ({ containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.0', securityContext: { privileged: true } }] });
export const plainSpec = () => ({ containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.0' }] });

export function deployment(name: string, podSpec: Record<string, unknown>, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}

export function cronJob(name: string, podSpec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'shop' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: podSpec } } } },
  };
}

const GROUPS: Record<string, [string, string, string]> = {
  Pod: ['', 'v1', 'pods'],
  Deployment: ['apps', 'v1', 'deployments'],
  CronJob: ['batch', 'v1', 'cronjobs'],
  ConfigMap: ['', 'v1', 'configmaps'],
  Secret: ['', 'v1', 'secrets'],
  StatefulSet: ['apps', 'v1', 'statefulsets'],
};

export function request(obj: unknown, over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const kind = (obj as { kind: string }).kind;
  const [group, version, resource] = GROUPS[kind] ?? ['', 'v1', `${kind.toLowerCase()}s`];
  return {
    uid: 'e911857d-c318-11e8-bbad-025000000001',
    kind: { group, version, kind },
    resource: { group, version, resource },
    namespace: 'shop',
    operation: 'CREATE',
    userInfo: { username: 'alice', groups: ['system:authenticated'] },
    object: obj,
    dryRun: false,
    ...over,
  };
}
