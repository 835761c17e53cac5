/**
 * Whether a workload's inbound service-to-service traffic must be mutually authenticated, by
 * which mesh, and what is missing when it need not be. Three meshes are read:
 *
 * - Istio: a pod joins through sidecar injection (namespace label `istio-injection=enabled` or
 *   `istio.io/rev`, pod label `sidecar.istio.io/inject`) or ambient mode (`istio.io/dataplane-mode:
 *   ambient` on the namespace or pod). Its mode comes from the most specific PeerAuthentication
 *   (`security.istio.io`): one in its namespace whose selector matches it, else the namespace's
 *   own (no selector), else the mesh-wide one (no selector, in the root namespace, istio-system
 *   unless the `istio` ConfigMap's mesh config says otherwise); `UNSET` inherits, and with none
 *   at all Istio is PERMISSIVE: it takes mTLS but accepts plaintext. Only STRICT requires it;
 *   `portLevelMtls` may weaken single ports.
 * - Linkerd: a pod joins through `linkerd.io/inject: enabled` on its template or namespace.
 *   Meshed pods always talk mTLS to each other, but whether a pod refuses unmeshed (plaintext)
 *   clients is its default inbound policy: `config.linkerd.io/default-inbound-policy` on the pod,
 *   else its namespace, else the cluster's (`proxy.defaultInboundPolicy` in the linkerd-config
 *   ConfigMap), else `all-unauthenticated`. Only `all-authenticated`, `cluster-authenticated` and
 *   `deny` require an identity.
 * - Cilium: a pod is mutually authenticated where a CiliumNetworkPolicy (or clusterwide one)
 *   selecting it has an ingress rule with `authentication.mode: required`.
 */
import type { Inventory } from '../../core/inventory.js';
import type { Resource } from '../../core/resource.js';
import { selectorMatches } from '../labels/selector.js';

export type Mesh = 'Istio' | 'Linkerd' | 'Cilium';

/** The pod (template) metadata a verdict is about; a namespace's defaults are asked with none. */
export interface PodMeta {
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}

export interface MeshVerdict {
  /** The meshes the pod is enrolled in. */
  meshes: Mesh[];
  /** Inbound traffic must be mutually authenticated. */
  ok: boolean;
  /** What makes it so, or what is missing: clauses for a message. */
  why: string[];
  /** The resource to add or change. */
  fix?: string;
  /** The pod's own settings (or a policy selecting it) differ from its namespace's defaults. */
  overridden: boolean;
}

const ISTIO_INJECTION = 'istio-injection';
const ISTIO_REV = 'istio.io/rev';
const ISTIO_POD_INJECT = 'sidecar.istio.io/inject';
const ISTIO_DATAPLANE = 'istio.io/dataplane-mode';
const LINKERD_INJECT = 'linkerd.io/inject';
const LINKERD_POLICY = 'config.linkerd.io/default-inbound-policy';
const LINKERD_AUTHENTICATED = new Set(['all-authenticated', 'cluster-authenticated', 'deny']);

/** The namespaces a mesh runs its control plane from: not judged as workloads of the mesh. */
export const MESH_CONTROL_NAMESPACES: ReadonlySet<string> = new Set(['istio-system', 'linkerd', 'linkerd-viz', 'linkerd-jaeger', 'cilium', 'cilium-spire']);

type Mode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

const modeOf = (v: unknown): Mode => (v === 'DISABLE' || v === 'PERMISSIVE' || v === 'STRICT' ? v : 'UNSET');

interface PeerAuth {
  resource: Resource;
  namespace: string;
  /** Undefined: applies to the whole namespace. */
  selector?: unknown;
  mode: Mode;
  ports: Array<{ port: string; mode: Mode }>;
}

/** The mesh settings of an inventory, gathered once. */
export interface MeshContext {
  inventory: Inventory;
  istioRoot: string;
  peerAuths: PeerAuth[];
  linkerdDefault?: string;
  ciliumPolicies: Array<{ resource: Resource; namespace?: string; selector: unknown; authRequired: boolean }>;
  /** Meshes that show signs of being installed, for advice. */
  installed: Mesh[];
}

const contexts = new WeakMap<Inventory, MeshContext>();

function meshConfigValue(inventory: Inventory, ns: string, name: string, key: string, field: RegExp): string | undefined {
  const data = inventory.find('', 'ConfigMap', ns, name)?.obj.data as Record<string, unknown> | undefined;
  const text = data?.[key];
  if (typeof text !== 'string') return undefined;
  return field.exec(text)?.[1]?.replace(/^["']|["']$/g, '');
}

export function meshContextOf(inventory: Inventory): MeshContext {
  const have = contexts.get(inventory);
  if (have) return have;
  const istioRoot = meshConfigValue(inventory, 'istio-system', 'istio', 'mesh', /^\s*rootNamespace:\s*(\S+)\s*$/m) ?? 'istio-system';
  const peerAuths: PeerAuth[] = inventory
    .ofKind('PeerAuthentication')
    .filter((r) => r.group === 'security.istio.io')
    .map((r) => {
      const spec = (r.obj.spec ?? {}) as { selector?: { matchLabels?: unknown }; mtls?: { mode?: unknown }; portLevelMtls?: Record<string, { mode?: unknown }> };
      const selector = spec.selector && spec.selector.matchLabels && Object.keys(spec.selector.matchLabels).length > 0 ? spec.selector : undefined;
      const ports = Object.entries(spec.portLevelMtls ?? {}).map(([port, v]) => ({ port, mode: modeOf(v?.mode) }));
      return { resource: r, namespace: r.namespace ?? 'default', selector, mode: modeOf(spec.mtls?.mode), ports };
    });
  const linkerdDefault = meshConfigValue(inventory, 'linkerd', 'linkerd-config', 'values', /^\s*defaultInboundPolicy:\s*(\S+)\s*$/m);
  const ciliumPolicies = (['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const).flatMap((kind) =>
    inventory
      .ofKind(kind)
      .filter((r) => r.group === 'cilium.io')
      .flatMap((r) => {
        // A policy holds one rule in spec, or several in specs.
        const specs = [r.obj.spec, ...(Array.isArray(r.obj.specs) ? r.obj.specs : [])].filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
        return specs.map((s) => ({
          resource: r,
          namespace: kind === 'CiliumNetworkPolicy' ? (r.namespace ?? 'default') : undefined,
          selector: s.endpointSelector,
          authRequired: Array.isArray(s.ingress) && s.ingress.some((rule) => (rule as { authentication?: { mode?: unknown } } | null)?.authentication?.mode === 'required'),
        }));
      }),
  );
  const nsNames = new Set(inventory.namespaces().map((n) => n.name));
  const installed: Mesh[] = [];
  if (peerAuths.length > 0 || nsNames.has('istio-system') || inventory.namespaces().some((n) => n.resource && (n.resource.labels[ISTIO_INJECTION] === 'enabled' || n.resource.labels[ISTIO_REV] !== undefined))) installed.push('Istio');
  if (linkerdDefault !== undefined || nsNames.has('linkerd') || inventory.namespaces().some((n) => n.resource?.annotations[LINKERD_INJECT] === 'enabled')) installed.push('Linkerd');
  if (ciliumPolicies.some((p) => p.authRequired)) installed.push('Cilium');
  const ctx: MeshContext = { inventory, istioRoot, peerAuths, linkerdDefault, ciliumPolicies, installed };
  contexts.set(inventory, ctx);
  return ctx;
}

const NO_META: PodMeta = { labels: {}, annotations: {} };

/** Cilium's endpoint labels as selectors name them: `k8s:` prefixes dropped, the namespace as `io.kubernetes.pod.namespace`. */
function ciliumSelects(selector: unknown, labels: Readonly<Record<string, string>>, namespace: string): boolean {
  if (typeof selector !== 'object' || selector === null) return false;
  const strip = (k: string) => (k.startsWith('k8s:') ? k.slice(4) : k);
  const s = selector as { matchLabels?: Record<string, unknown>; matchExpressions?: Array<{ key?: string }> };
  const normal = {
    ...(s.matchLabels ? { matchLabels: Object.fromEntries(Object.entries(s.matchLabels).map(([k, v]) => [strip(k), v])) } : {}),
    ...(s.matchExpressions ? { matchExpressions: s.matchExpressions.map((e) => ({ ...e, key: strip(String(e.key)) })) } : {}),
  };
  return selectorMatches(normal, { ...labels, 'io.kubernetes.pod.namespace': namespace });
}

function istioVerdict(ctx: MeshContext, namespace: string, nsLabels: Readonly<Record<string, string>>, pod: PodMeta | undefined): MeshVerdict | undefined {
  const meta = pod ?? NO_META;
  const podInject = meta.labels[ISTIO_POD_INJECT] ?? meta.annotations[ISTIO_POD_INJECT];
  const podAmbient = meta.labels[ISTIO_DATAPLANE];
  const nsSidecar = (nsLabels[ISTIO_INJECTION] === 'enabled' || (nsLabels[ISTIO_REV] !== undefined && nsLabels[ISTIO_INJECTION] !== 'disabled')) && podInject !== 'false';
  const sidecar = nsSidecar || podInject === 'true' || (meta.labels[ISTIO_REV] !== undefined && podInject !== 'false');
  const ambient = !sidecar && podAmbient !== 'none' && (podAmbient === 'ambient' || nsLabels[ISTIO_DATAPLANE] === 'ambient');
  let overridden = podInject !== undefined || podAmbient !== undefined || meta.labels[ISTIO_REV] !== undefined;
  if (!sidecar && !ambient) return overridden ? { meshes: [], ok: false, why: [`its pod opts out of Istio (${podInject !== undefined ? `${ISTIO_POD_INJECT}: "${podInject}"` : `${ISTIO_DATAPLANE}: "${podAmbient}"`})`], overridden: true } : undefined;
  const how = sidecar ? 'Istio sidecar' : 'Istio ambient';
  // The most specific PeerAuthentication decides; UNSET (and absence) passes to the next scope up.
  const workload = pod ? ctx.peerAuths.find((p) => p.namespace === namespace && p.selector !== undefined && namespace !== ctx.istioRoot && selectorMatches(p.selector, meta.labels)) : undefined;
  const nsWide = ctx.peerAuths.find((p) => p.namespace === namespace && p.selector === undefined);
  const meshWide = ctx.peerAuths.find((p) => p.namespace === ctx.istioRoot && p.selector === undefined);
  if (workload) overridden = true;
  let mode: Mode = 'UNSET';
  let from: PeerAuth | undefined;
  for (const p of [workload, nsWide, meshWide]) {
    if (p && p.mode !== 'UNSET') {
      mode = p.mode;
      from = p;
      break;
    }
  }
  const display = (p: PeerAuth) => `PeerAuthentication ${p.namespace}/${p.resource.name}`;
  const strictNs = `PeerAuthentication "default" in ${namespace} with \`spec: {mtls: {mode: STRICT}}\` (or one in ${ctx.istioRoot} for the whole mesh)`;
  if (mode !== 'STRICT') {
    const why = from ? `${display(from)} sets mtls mode ${mode}` : `no PeerAuthentication sets mtls mode STRICT for it (${ctx.istioRoot} mesh-wide, ${namespace} or a selector), so Istio's default PERMISSIVE applies`;
    const fix = from && from.selector !== undefined ? `Set \`spec.mtls.mode: STRICT\` in ${display(from)}.` : from ? `Set \`spec.mtls.mode: STRICT\` in ${display(from)}.` : `Add a ${strictNs}.`;
    return { meshes: ['Istio'], ok: false, why: [`it is in the mesh (${how}), but ${why}: it accepts plaintext connections`], fix, overridden };
  }
  // Ports the workload-level policy weakens (portLevelMtls needs a selector).
  const weak = (workload?.ports ?? []).filter((p) => p.mode === 'PERMISSIVE' || p.mode === 'DISABLE');
  if (weak.length > 0) {
    return {
      meshes: ['Istio'],
      ok: false,
      why: [`${display(workload!)} requires mTLS but sets ${weak.map((p) => `port ${p.port} to ${p.mode}`).join(', ')} in portLevelMtls: plaintext connections reach ${weak.length === 1 ? 'that port' : 'those ports'}`],
      fix: `Remove the ${weak.map((p) => p.port).join(', ')} entries from \`spec.portLevelMtls\` of ${display(workload!)} (or set them to STRICT).`,
      overridden: true,
    };
  }
  return { meshes: ['Istio'], ok: true, why: [`${how} with ${display(from!)} mode STRICT`], overridden };
}

function linkerdVerdict(ctx: MeshContext, nsAnnotations: Readonly<Record<string, string>>, namespace: string, pod: PodMeta | undefined): MeshVerdict | undefined {
  const meta = pod ?? NO_META;
  const podInject = meta.annotations[LINKERD_INJECT];
  const meshed = podInject === 'enabled' || podInject === 'ingress' || (nsAnnotations[LINKERD_INJECT] === 'enabled' && podInject !== 'disabled');
  const overridden = podInject !== undefined || meta.annotations[LINKERD_POLICY] !== undefined;
  if (!meshed) return podInject === 'disabled' ? { meshes: [], ok: false, why: [`its pod opts out of Linkerd (${LINKERD_INJECT}: disabled)`], overridden: true } : undefined;
  const own = meta.annotations[LINKERD_POLICY];
  const nsPolicy = nsAnnotations[LINKERD_POLICY];
  const policy = own ?? nsPolicy ?? ctx.linkerdDefault ?? 'all-unauthenticated';
  const from = own !== undefined ? 'its pod template' : nsPolicy !== undefined ? `Namespace ${namespace}` : ctx.linkerdDefault !== undefined ? 'the cluster default (linkerd-config)' : "Linkerd's default";
  if (LINKERD_AUTHENTICATED.has(policy)) return { meshes: ['Linkerd'], ok: true, why: [`Linkerd with default inbound policy ${policy}`], overridden };
  return {
    meshes: ['Linkerd'],
    ok: false,
    why: [`it is in the Linkerd mesh, whose meshed clients use mTLS, but its default inbound policy is ${policy} (from ${from}): unmeshed clients still connect in plaintext`],
    fix: own !== undefined ? `Set the pod template annotation \`${LINKERD_POLICY}: all-authenticated\` (or cluster-authenticated, or deny with AuthorizationPolicies).` : `Annotate Namespace ${namespace} with \`${LINKERD_POLICY}: all-authenticated\` (or cluster-authenticated, or deny with AuthorizationPolicies), then restart its pods.`,
    overridden,
  };
}

function ciliumVerdict(ctx: MeshContext, namespace: string, pod: PodMeta | undefined): MeshVerdict | undefined {
  const labels = (pod ?? NO_META).labels;
  const hit = ctx.ciliumPolicies.find((p) => p.authRequired && (p.namespace === undefined || p.namespace === namespace) && ciliumSelects(p.selector, labels, namespace));
  if (!hit) return undefined;
  const sel = hit.selector as { matchLabels?: object; matchExpressions?: unknown[] } | undefined;
  const all = !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
  return { meshes: ['Cilium'], ok: true, why: [`${hit.resource.display} requires authentication.mode: required`], overridden: !all && hit.namespace !== undefined };
}

/**
 * The verdict for a pod (template) of `namespace`, or with `pod` undefined for the namespace's
 * defaults (what a pod without labels or annotations of its own gets).
 */
export function mutualTls(ctx: MeshContext, namespace: string, pod: PodMeta | undefined): MeshVerdict {
  const nsRes = ctx.inventory.namespaces().find((n) => n.name === namespace)?.resource;
  const nsLabels = nsRes?.labels ?? {};
  const nsAnnotations = nsRes?.annotations ?? {};
  const verdicts = [istioVerdict(ctx, namespace, nsLabels, pod), linkerdVerdict(ctx, nsAnnotations, namespace, pod), ciliumVerdict(ctx, namespace, pod)].filter((v): v is MeshVerdict => v !== undefined);
  const overridden = verdicts.some((v) => v.overridden);
  const good = verdicts.find((v) => v.ok);
  if (good) return { ...good, overridden };
  const enrolled = verdicts.find((v) => v.meshes.length > 0);
  if (enrolled) return { ...enrolled, overridden };
  const optOut = verdicts.find((v) => v.why.length > 0);
  return { meshes: [], ok: false, why: optOut ? optOut.why : ['it is in no service mesh'], fix: enrolFix(ctx, namespace), overridden };
}

/** How to enrol a namespace, in the mesh the cluster seems to run (Istio when it shows none). */
export function enrolFix(ctx: MeshContext, namespace: string): string {
  const mesh = ctx.installed[0];
  if (mesh === 'Linkerd') return `Annotate Namespace ${namespace} with \`${LINKERD_INJECT}: enabled\` and \`${LINKERD_POLICY}: all-authenticated\`, then restart its pods.`;
  if (mesh === 'Cilium') return `Add a CiliumNetworkPolicy in ${namespace} with \`endpointSelector: {}\` and ingress rules carrying \`authentication: {mode: required}\` (with Cilium's WireGuard or IPsec encryption for confidentiality).`;
  const istio = `Label Namespace ${namespace} \`${ISTIO_INJECTION}=enabled\` (or \`${ISTIO_DATAPLANE}=ambient\`), restart its pods, and add a PeerAuthentication "default" in ${namespace} with \`spec: {mtls: {mode: STRICT}}\``;
  return mesh === 'Istio' ? `${istio}.` : `${istio}; or enrol it in Linkerd (\`${LINKERD_INJECT}: enabled\` with \`${LINKERD_POLICY}: all-authenticated\`).`;
}
