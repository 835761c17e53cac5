/**
 * Builds fake node roots with the `openssl` CLI for the PKI engine's tests: a kubeadm-like
 * PKI with one defect per file, and a bare one whose API server certificate lacks the
 * in-cluster SANs. The expired certificate is backdated with `openssl ca -startdate/-enddate`
 * (OpenSSL 3.0's `x509 -req` has no `-not_before`).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
[apiserver]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:master,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1
[apiserver_bare]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:master,DNS:kubernetes,IP:10.96.0.1
[ca]
default_ca = backdating
[backdating]
dir = .
database = ./ca-db/index.txt
new_certs_dir = ./ca-db
serial = ./ca-db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
organizationName = optional
`;

export interface Builder {
  root: string;
  /** Scratch directory outside the root (config, CSRs, a rogue CA). */
  work: string;
}

function ossl(b: Builder, args: string[]): void {
  execFileSync('openssl', args, { cwd: b.work, stdio: ['ignore', 'pipe', 'pipe'] });
}

function newBuilder(): Builder {
  const root = mkdtempSync(join(tmpdir(), 'kubeladder-pki-root-'));
  const work = mkdtempSync(join(tmpdir(), 'kubeladder-pki-work-'));
  writeFileSync(join(work, 'openssl.cnf'), CNF);
  mkdirSync(join(work, 'ca-db'));
  writeFileSync(join(work, 'ca-db', 'index.txt'), '');
  writeFileSync(join(work, 'ca-db', 'serial'), '1000\n');
  return { root, work };
}

type KeySpec = 'rsa2048' | 'rsa1024' | 'ec';
const keyArgs = (k: KeySpec) =>
  k === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', k === 'rsa1024' ? 'rsa:1024' : 'rsa:2048'];

/** A self-signed CA at `<crt>` / `<key>` (paths under root, or absolute). */
function ca(b: Builder, crt: string, key: string, cn: string, days: number, keySpec: KeySpec = 'rsa2048'): void {
  ossl(b, ['req', '-x509', '-config', 'openssl.cnf', '-extensions', 'v3_ca', ...keyArgs(keySpec), '-nodes',
    '-keyout', key, '-out', crt, '-subj', `/CN=${cn}`, '-days', String(days)]);
  chmodSync(key, 0o600);
}

let serial = 1;
interface LeafOpts {
  subj: string;
  caCrt: string;
  caKey: string;
  days?: number;
  key?: KeySpec;
  ext?: string;
  md?: 'sha256' | 'sha1';
  keyMode?: number;
}
/** A leaf `<crt>` with its key `<key>`, signed by the CA given. */
function leaf(b: Builder, crt: string, key: string, o: LeafOpts): void {
  const csr = join(b.work, `leaf${serial}.csr`);
  ossl(b, ['req', '-new', '-config', 'openssl.cnf', ...keyArgs(o.key ?? 'rsa2048'), '-nodes', '-keyout', key, '-out', csr, '-subj', o.subj]);
  ossl(b, ['x509', '-req', '-in', csr, '-CA', o.caCrt, '-CAkey', o.caKey, '-set_serial', String(serial++),
    '-days', String(o.days ?? 365), '-extfile', 'openssl.cnf', '-extensions', o.ext ?? 'leaf', `-${o.md ?? 'sha256'}`, '-out', crt]);
  chmodSync(key, o.keyMode ?? 0o600);
}

/** A leaf signed by the CA with backdated validity, via `openssl ca`. */
function backdatedLeaf(b: Builder, crt: string, key: string, subj: string, caCrt: string, caKey: string, start: string, end: string): void {
  const csr = join(b.work, `backdated${serial++}.csr`);
  ossl(b, ['req', '-new', '-config', 'openssl.cnf', ...keyArgs('rsa2048'), '-nodes', '-keyout', key, '-out', csr, '-subj', subj]);
  ossl(b, ['ca', '-batch', '-notext', '-config', 'openssl.cnf', '-cert', caCrt, '-keyfile', caKey, '-in', csr, '-out', crt,
    '-startdate', start, '-enddate', end, '-extensions', 'leaf']);
  chmodSync(key, 0o600);
}

function kubeconfig(path: string, user: string, cluster: string, clientCrt: string, caCrt: string): void {
  const b64 = (f: string) => Buffer.from(readFileSync(f)).toString('base64');
  writeFileSync(path, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    '    server: https://10.0.0.1:6443',
    `    certificate-authority-data: ${b64(caCrt)}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(clientCrt)}`,
    '    client-key-data: c2VjcmV0',
    'contexts:',
    `- name: ${user}@${cluster}`,
    '  context: {cluster: ' + cluster + ', user: ' + user + '}',
    `current-context: ${user}@${cluster}`,
    '',
  ].join('\n'));
}

export interface KubeadmRoot {
  root: string;
  work: string;
}

/**
 * A kubeadm-like node root. Defects, by file (under etc/kubernetes/pki unless said):
 * apiserver-kubelet-client.crt expired (2020-2021); front-proxy-client.crt expires in 10 days
 * and its key is 0644; weak-rsa.crt 1024-bit; sha1.crt SHA-1 signed; long-leaf.crt valid 825
 * days; old-ca.crt a CA for 20 years; forged.crt issued as `kubernetes` by a rogue key;
 * broken.crt garbage in a PEM certificate block; etc/kubernetes/broken.conf not YAML mapping.
 * Sound: ca, apiserver (all SANs), etcd (EC P-256 CA and server), admin.conf, the kubelet's.
 */
export function buildKubeadmRoot(): KubeadmRoot {
  const b = newBuilder();
  const pki = join(b.root, 'etc/kubernetes/pki');
  const etcd = join(pki, 'etcd');
  const kubelet = join(b.root, 'var/lib/kubelet/pki');
  for (const d of [etcd, kubelet]) mkdirSync(d, { recursive: true });
  const p = (f: string) => join(pki, f);

  ca(b, p('ca.crt'), p('ca.key'), 'kubernetes', 3650);
  ca(b, p('front-proxy-ca.crt'), p('front-proxy-ca.key'), 'front-proxy-ca', 3650);
  ca(b, join(etcd, 'ca.crt'), join(etcd, 'ca.key'), 'etcd-ca', 3650, 'ec');
  const root = { caCrt: p('ca.crt'), caKey: p('ca.key') };

  leaf(b, p('apiserver.crt'), p('apiserver.key'), { subj: '/CN=kube-apiserver', ...root, ext: 'apiserver' });
  backdatedLeaf(b, p('apiserver-kubelet-client.crt'), p('apiserver-kubelet-client.key'),
    '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', root.caCrt, root.caKey, '20200101000000Z', '20210101000000Z');
  leaf(b, p('front-proxy-client.crt'), p('front-proxy-client.key'), {
    subj: '/CN=front-proxy-client', caCrt: p('front-proxy-ca.crt'), caKey: p('front-proxy-ca.key'), days: 10, keyMode: 0o644,
  });
  leaf(b, join(etcd, 'server.crt'), join(etcd, 'server.key'), {
    subj: '/CN=etcd-server', caCrt: join(etcd, 'ca.crt'), caKey: join(etcd, 'ca.key'), key: 'ec',
  });
  leaf(b, p('weak-rsa.crt'), p('weak-rsa.key'), { subj: '/CN=weak-rsa', ...root, key: 'rsa1024' });
  leaf(b, p('sha1.crt'), p('sha1.key'), { subj: '/CN=sha1-signed', ...root, md: 'sha1' });
  leaf(b, p('long-leaf.crt'), p('long-leaf.key'), { subj: '/CN=long-leaf', ...root, days: 825 });
  ca(b, p('old-ca.crt'), p('old-ca.key'), 'old-ca', 7300);
  ca(b, join(b.work, 'rogue-ca.crt'), join(b.work, 'rogue-ca.key'), 'kubernetes', 3650);
  leaf(b, p('forged.crt'), p('forged.key'), { subj: '/CN=forged', caCrt: join(b.work, 'rogue-ca.crt'), caKey: join(b.work, 'rogue-ca.key') });
  writeFileSync(p('broken.crt'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');

  leaf(b, join(b.work, 'admin.crt'), join(b.work, 'admin.key'), { subj: '/O=kubeadm:cluster-admins/CN=kubernetes-admin', ...root });
  kubeconfig(join(b.root, 'etc/kubernetes/admin.conf'), 'kubernetes-admin', 'kubernetes', join(b.work, 'admin.crt'), root.caCrt);
  writeFileSync(join(b.root, 'etc/kubernetes/broken.conf'), '- just\n- a list\n');

  ca(b, join(kubelet, 'kubelet.crt'), join(kubelet, 'kubelet.key'), 'node-1-ca', 365);
  leaf(b, join(b.work, 'kubelet-client.crt'), join(b.work, 'kubelet-client.key'), { subj: '/O=system:nodes/CN=system:node:node-1', ...root });
  const current = join(kubelet, 'kubelet-client-current.pem');
  writeFileSync(current, readFileSync(join(b.work, 'kubelet-client.crt'), 'utf8') + readFileSync(join(b.work, 'kubelet-client.key'), 'utf8'));
  chmodSync(current, 0o600);
  return b;
}

/** A root with only a CA and an API server certificate lacking the in-cluster SANs; no kubelet, no kubeconfig. */
export function buildBareRoot(): KubeadmRoot {
  const b = newBuilder();
  const pki = join(b.root, 'etc/kubernetes/pki');
  mkdirSync(pki, { recursive: true });
  ca(b, join(pki, 'ca.crt'), join(pki, 'ca.key'), 'kubernetes', 3650);
  leaf(b, join(pki, 'apiserver.crt'), join(pki, 'apiserver.key'), {
    subj: '/CN=kube-apiserver', caCrt: join(pki, 'ca.crt'), caKey: join(pki, 'ca.key'), ext: 'apiserver_bare',
  });
  return b;
}
