/**
 * The two tables of `kubeadm certs check-expiration` (certificates, then certificate
 * authorities) as data, so a reporter can print what operators already know how to read.
 * Only kubeadm's well-known files are listed; ones that are absent are named in `missing`.
 */
import type { X509Certificate } from 'node:crypto';
import type { PkiDiscovery } from './discover.js';

export interface ExpirationRow {
  /** kubeadm's name: `apiserver`, `admin.conf`, `etcd-server`... */
  certificate: string;
  /** `Dec 30, 2026 23:36 UTC`. */
  expires: string;
  /** `364d`, `9y`, `<invalid>` once expired. */
  residualTime: string;
  /** kubeadm's name of its CA: `ca`, `etcd-ca`, `front-proxy-ca`. */
  certificateAuthority: string;
  externallyManaged: 'yes' | 'no';
  file: string;
}

export interface CaExpirationRow {
  certificateAuthority: string;
  expires: string;
  residualTime: string;
  externallyManaged: 'yes' | 'no';
  file: string;
}

export interface ExpirationReport {
  certificates: ExpirationRow[];
  authorities: CaExpirationRow[];
  /** kubeadm names whose file (or kubeconfig client certificate) is absent. */
  missing: string[];
}

const P = 'etc/kubernetes/pki';

/** kubeadm's CAs: name, certificate file, key file (a CA without its key is externally managed). */
export const KUBEADM_CAS = [
  { name: 'ca', file: `${P}/ca.crt`, key: `${P}/ca.key` },
  { name: 'etcd-ca', file: `${P}/etcd/ca.crt`, key: `${P}/etcd/ca.key` },
  { name: 'front-proxy-ca', file: `${P}/front-proxy-ca.crt`, key: `${P}/front-proxy-ca.key` },
] as const;

/** kubeadm's leaf certificates, in its order; `.conf` ones are a kubeconfig's first user's client certificate. */
export const KUBEADM_CERTS: readonly { name: string; file: string; ca: string }[] = [
  { name: 'admin.conf', file: 'etc/kubernetes/admin.conf', ca: 'ca' },
  { name: 'apiserver', file: `${P}/apiserver.crt`, ca: 'ca' },
  { name: 'apiserver-etcd-client', file: `${P}/apiserver-etcd-client.crt`, ca: 'etcd-ca' },
  { name: 'apiserver-kubelet-client', file: `${P}/apiserver-kubelet-client.crt`, ca: 'ca' },
  { name: 'controller-manager.conf', file: 'etc/kubernetes/controller-manager.conf', ca: 'ca' },
  { name: 'etcd-healthcheck-client', file: `${P}/etcd/healthcheck-client.crt`, ca: 'etcd-ca' },
  { name: 'etcd-peer', file: `${P}/etcd/peer.crt`, ca: 'etcd-ca' },
  { name: 'etcd-server', file: `${P}/etcd/server.crt`, ca: 'etcd-ca' },
  { name: 'front-proxy-client', file: `${P}/front-proxy-client.crt`, ca: 'front-proxy-ca' },
  { name: 'scheduler.conf', file: 'etc/kubernetes/scheduler.conf', ca: 'ca' },
  { name: 'super-admin.conf', file: 'etc/kubernetes/super-admin.conf', ca: 'ca' },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** kubeadm's `Jan 02, 2006 15:04 MST`, in UTC. */
export function kubeadmDate(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** apimachinery's `duration.ShortHumanDuration`, which kubeadm prints as RESIDUAL TIME. */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

export function expirationRows(d: PkiDiscovery, now: Date): ExpirationReport {
  const keyFiles = new Set(d.keys.map((k) => k.file));
  const missing: string[] = [];
  const find = (file: string): X509Certificate | undefined => {
    const conf = file.endsWith('.conf');
    return d.certs.find((c) => c.file === file && (conf ? c.kubeconfig?.field === 'client-certificate-data' : c.index === 0))?.cert;
  };
  const expiry = (cert: X509Certificate) => {
    const notAfter = new Date(cert.validTo);
    return { expires: kubeadmDate(notAfter), residualTime: shortHumanDuration(notAfter.getTime() - now.getTime()) };
  };

  const external = new Map<string, 'yes' | 'no'>();
  const authorities: CaExpirationRow[] = [];
  for (const ca of KUBEADM_CAS) {
    const ext = keyFiles.has(ca.key) ? 'no' : 'yes';
    external.set(ca.name, ext);
    const cert = find(ca.file);
    if (!cert) {
      missing.push(ca.name);
      continue;
    }
    authorities.push({ certificateAuthority: ca.name, ...expiry(cert), externallyManaged: ext, file: ca.file });
  }

  const certificates: ExpirationRow[] = [];
  for (const leaf of KUBEADM_CERTS) {
    const cert = find(leaf.file);
    if (!cert) {
      // kubeadm only lists super-admin.conf on nodes that have it (control planes since 1.29).
      if (leaf.name !== 'super-admin.conf') missing.push(leaf.name);
      continue;
    }
    certificates.push({
      certificate: leaf.name,
      ...expiry(cert),
      certificateAuthority: leaf.ca,
      externallyManaged: external.get(leaf.ca) ?? 'yes',
      file: leaf.file,
    });
  }
  return { certificates, authorities, missing };
}
