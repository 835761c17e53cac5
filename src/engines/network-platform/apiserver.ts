/**
 * Where the API server really is, as NetworkPolicy sees it. A pod dials the `kubernetes`
 * Service's ClusterIP (443), but the node rewrites that to one of the Service's endpoints (the
 * API servers' own addresses, often on 6443) before most CNIs apply egress policy: so the
 * addresses that matter are the endpoint ones, read from the Service's EndpointSlices in
 * `default` on a cluster read, or given with `scan --apiserver-address IP[:PORT]`.
 */
import type { Inventory } from '../../core/inventory.js';
import { parseIP } from '../netpol/ip.js';

/** An address given with --apiserver-address; without a port, both usual ones are assumed. */
export interface ApiserverAddress {
  ip: string;
  port?: number;
}

/** One API server endpoint and the ports to try on it, with where it was learnt. */
export interface ApiserverEndpoint {
  ip: string;
  ports: number[];
  source: string;
}

/** The ports an API server listens on: 443 (managed clusters) and 6443 (kubeadm and most others). */
export const DEFAULT_APISERVER_PORTS: readonly number[] = [443, 6443];

/** The label an EndpointSlice carries naming its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** `10.0.0.1`, `10.0.0.1:6443`, `fd00::1` or `[fd00::1]:6443`; throws an Error saying what is wrong. */
export function parseApiserverAddress(v: string): ApiserverAddress {
  const s = v.trim();
  let ip = s;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    ip = bracketed[1]!;
    port = bracketed[2];
  } else if (/^[^:]+:\d+$/.test(s)) {
    [ip, port] = s.split(':') as [string, string];
  }
  if (!parseIP(ip)) throw new Error(`"${v}" is not IP[:PORT] (an IPv6 address with a port is written [IP]:PORT)`);
  if (port === undefined) return { ip };
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`"${v}": ${port} is not a port number (1-65535)`);
  return { ip, port: n };
}

/**
 * The API server's endpoints: the --apiserver-address ones when given, else, on a cluster read
 * that listed the `default` namespace's EndpointSlices, the `kubernetes` Service's. Undefined when
 * neither is known: whoever asks cannot tell what reaches the API server.
 */
export function apiserverEndpoints(inventory: Inventory): ApiserverEndpoint[] | undefined {
  if (inventory.apiserverAddresses && inventory.apiserverAddresses.length > 0) {
    return inventory.apiserverAddresses.map((a) => ({ ip: a.ip, ports: a.port ? [a.port] : [...DEFAULT_APISERVER_PORTS], source: '--apiserver-address' }));
  }
  if (!inventory.inputs.has('cluster') || inventory.unreadableKinds.has('EndpointSlice') || !inventory.namespaceListed('default')) return undefined;
  const out = new Map<string, ApiserverEndpoint>();
  for (const slice of inventory.ofKind('EndpointSlice')) {
    if (slice.group !== 'discovery.k8s.io' || slice.namespace !== 'default' || slice.labels[SERVICE_NAME_LABEL] !== 'kubernetes') continue;
    const source = `EndpointSlice default/${slice.name}`;
    const ports = (Array.isArray(slice.obj.ports) ? slice.obj.ports : [])
      .filter((p): p is { port: number; protocol?: unknown } => typeof (p as { port?: unknown } | null)?.port === 'number')
      .filter((p) => p.protocol === undefined || p.protocol === 'TCP')
      .map((p) => p.port);
    for (const ep of Array.isArray(slice.obj.endpoints) ? slice.obj.endpoints : []) {
      const addresses = (ep as { addresses?: unknown } | null)?.addresses;
      for (const ip of Array.isArray(addresses) ? addresses : []) {
        if (typeof ip !== 'string' || !parseIP(ip)) continue;
        const have = out.get(ip);
        const all = [...new Set([...(have?.ports ?? []), ...(ports.length ? ports : DEFAULT_APISERVER_PORTS)])].sort((a, b) => a - b);
        out.set(ip, { ip, ports: all, source: have?.source ?? source });
      }
    }
  }
  return out.size > 0 ? [...out.values()] : undefined;
}
