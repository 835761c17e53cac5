/**
 * Finds a node's certificates and private keys under a root directory (the node's `/`, as
 * mounted or copied): the kubeadm PKI, the kubelet's and those embedded in kubeconfigs. Reads
 * files only; a missing directory is "not found", an unreadable or malformed file is one
 * problem line, and discovery goes on with the rest.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { kubeconfigCertData } from './kubeconfig.js';

export type CertOrigin = 'pki' | 'etcd' | 'kubelet' | 'kubeconfig';

export interface DiscoveredCert {
  /** Path relative to the root, `/`-separated, e.g. `etc/kubernetes/pki/apiserver.crt`. */
  file: string;
  origin: CertOrigin;
  /** Position in the file when it holds more than one certificate (0-based). */
  index: number;
  /** For kubeconfig certificates: which user or cluster it came from. */
  kubeconfig?: { kind: 'user' | 'cluster'; name: string; field: 'client-certificate-data' | 'certificate-authority-data' };
  cert: X509Certificate;
}

export interface DiscoveredKey {
  file: string;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
}

export interface PkiProblem {
  file: string;
  message: string;
}

export interface PkiDiscovery {
  root: string;
  certs: DiscoveredCert[];
  keys: DiscoveredKey[];
  /** Directories (relative) looked in that do not exist. */
  notFound: string[];
  problems: PkiProblem[];
}

export const PKI_DIR = 'etc/kubernetes/pki';
export const ETCD_PKI_DIR = 'etc/kubernetes/pki/etcd';
export const KUBELET_PKI_DIR = 'var/lib/kubelet/pki';
export const KUBECONFIG_DIR = 'etc/kubernetes';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of a text, by label. */
export function pemBlocks(text: string): { label: string; pem: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, pem: m[0] }));
}

/** Names of the regular files (or symlinks to them) of a directory, sorted; undefined when it does not exist. */
function listDir(root: string, rel: string): string[] | undefined {
  let names: string[];
  try {
    names = readdirSync(join(root, rel));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
  return names.sort();
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Discovers the PKI files under `root`. Never throws for a file's content or a missing directory. */
export function discoverPki(root: string): PkiDiscovery {
  const out: PkiDiscovery = { root, certs: [], keys: [], notFound: [], problems: [] };
  const problem = (file: string, msg: string) => out.problems.push({ file, message: msg });

  const readText = (file: string): string | undefined => {
    try {
      return readFileSync(join(root, file), 'utf8');
    } catch (err) {
      problem(file, `unreadable: ${message(err)}`);
      return undefined;
    }
  };

  const isFile = (file: string): boolean => {
    try {
      return statSync(join(root, file)).isFile();
    } catch {
      return true; // a dangling link: let the read report it
    }
  };

  const addCertPems = (file: string, origin: CertOrigin, pems: string[], kubeconfig?: DiscoveredCert['kubeconfig']): boolean => {
    let ok = true;
    pems.forEach((pem, index) => {
      try {
        out.certs.push({ file, origin, index, cert: new X509Certificate(pem), ...(kubeconfig ? { kubeconfig } : {}) });
      } catch (err) {
        ok = false;
        const where = kubeconfig ? `${kubeconfig.kind} ${kubeconfig.name} ${kubeconfig.field}` : `certificate #${index}`;
        problem(file, `malformed ${where}: ${message(err)}`);
      }
    });
    return ok;
  };

  const addKey = (file: string) => {
    try {
      out.keys.push({ file, mode: statSync(join(root, file)).mode & 0o777 });
    } catch (err) {
      problem(file, `unreadable: ${message(err)}`);
    }
  };

  /** A *.crt / *.pem file: its certificates, and whether it also holds a private key. */
  const scanCertFile = (file: string, origin: CertOrigin) => {
    const text = readText(file);
    if (text === undefined) return;
    const blocks = pemBlocks(text);
    const certs = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem);
    const hasKey = blocks.some((b) => b.label.endsWith('PRIVATE KEY'));
    if (hasKey) addKey(file);
    if (certs.length === 0) {
      if (!hasKey) problem(file, 'malformed: no PEM certificate in it');
      return;
    }
    addCertPems(file, origin, certs);
  };

  const scanPkiDir = (dir: string, origin: CertOrigin) => {
    const names = listDir(root, dir);
    if (!names) {
      out.notFound.push(dir);
      return;
    }
    for (const name of names) {
      const file = posix.join(dir, name);
      if (!isFile(file)) continue;
      if (name.endsWith('.crt') || name.endsWith('.pem')) scanCertFile(file, origin);
      else if (name.endsWith('.key')) addKey(file);
    }
  };

  scanPkiDir(PKI_DIR, 'pki');
  scanPkiDir(ETCD_PKI_DIR, 'etcd');

  const kubelet = listDir(root, KUBELET_PKI_DIR);
  if (!kubelet) out.notFound.push(KUBELET_PKI_DIR);
  else
    for (const name of kubelet) {
      const file = posix.join(KUBELET_PKI_DIR, name);
      if (!isFile(file)) continue;
      if (name.endsWith('.crt') || name === 'kubelet-client-current.pem') scanCertFile(file, 'kubelet');
      else if (name.endsWith('.key')) addKey(file);
    }

  const confs = listDir(root, KUBECONFIG_DIR);
  if (!confs) out.notFound.push(KUBECONFIG_DIR);
  else
    for (const name of confs) {
      const file = posix.join(KUBECONFIG_DIR, name);
      if (!name.endsWith('.conf') || !isFile(file)) continue;
      const text = readText(file);
      if (text === undefined) continue;
      let parsed: ReturnType<typeof kubeconfigCertData>;
      try {
        parsed = kubeconfigCertData(text);
      } catch (err) {
        problem(file, `malformed kubeconfig: ${message(err)}`);
        continue;
      }
      for (const e of parsed.errors) problem(file, `malformed ${e}`);
      for (const d of parsed.data) {
        const pems = pemBlocks(d.pem).filter((b) => b.label === 'CERTIFICATE').map((b) => b.pem);
        const source = { kind: d.kind, name: d.name, field: d.field };
        if (pems.length === 0) problem(file, `malformed ${d.kind} ${d.name} ${d.field}: no PEM certificate in it`);
        else addCertPems(file, 'kubeconfig', pems, source);
      }
    }

  return out;
}
