import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPki, parseSans, type PkiAudit } from '../../../src/engines/pki/audit.js';
import { discoverPki } from '../../../src/engines/pki/discover.js';
import { buildBareRoot, buildKubeadmRoot, type KubeadmRoot } from './fixtures.js';

const PKI = 'etc/kubernetes/pki';
let node: KubeadmRoot;
let bare: KubeadmRoot;
let audit: PkiAudit;

beforeAll(() => {
  node = buildKubeadmRoot();
  bare = buildBareRoot();
  audit = auditPki(node.root);
});

afterAll(() => {
  for (const r of [node, bare]) {
    if (!r) continue;
    rmSync(r.root, { recursive: true, force: true });
    rmSync(r.work, { recursive: true, force: true });
  }
});

const cert = (file: string, index = 0) => {
  const c = audit.certificates.find((x) => x.file === file && x.index === index);
  if (!c) throw new Error(`no certificate ${file}#${index}`);
  return c;
};

describe('auditPki on a kubeadm-like node', () => {
  it('reports every defect, each once, with its file', () => {
    const got = audit.findings.map((f) => `${f.severity} ${f.id} ${f.file}`).sort();
    expect(got).toEqual(
      [
        `fail pki.expired ${PKI}/apiserver-kubelet-client.crt`,
        `warn pki.expiring ${PKI}/front-proxy-client.crt`,
        `note pki.leaf-long-validity ${PKI}/long-leaf.crt`,
        `warn pki.ca-long-validity ${PKI}/old-ca.crt`,
        `fail pki.weak-signature ${PKI}/sha1.crt`,
        `fail pki.weak-rsa-key ${PKI}/weak-rsa.crt`,
        `fail pki.issuer-mismatch ${PKI}/forged.crt`,
        `fail pki.key-permissions ${PKI}/front-proxy-client.key`,
      ].sort(),
    );
  });

  it('says what is wrong in each finding', () => {
    const msg = (id: string) => audit.findings.find((f) => f.id === id)?.message ?? '';
    expect(msg('pki.expired')).toMatch(/expired on 2021-01-01T00:00:00/);
    expect(msg('pki.expiring')).toMatch(/in 9 day\(s\)/);
    expect(msg('pki.weak-rsa-key')).toMatch(/1024 bits/);
    expect(msg('pki.weak-signature')).toMatch(/SHA-1 \(sha1WithRSAEncryption\)/);
    expect(msg('pki.ca-long-validity')).toMatch(/CA valid for 20\.0 years/);
    expect(msg('pki.leaf-long-validity')).toMatch(/2\.3 years/);
    expect(msg('pki.issuer-mismatch')).toMatch(/not signed by its issuer CN=kubernetes in etc\/kubernetes\/pki\/ca\.crt/);
    expect(msg('pki.key-permissions')).toBe('private key readable by others (mode 0644)');
  });

  it('reports malformed files as problems naming them, and audits the rest', () => {
    expect(audit.problems.map((p) => p.file).sort()).toEqual(['etc/kubernetes/broken.conf', `${PKI}/broken.crt`]);
    expect(audit.problems.find((p) => p.file.endsWith('broken.conf'))?.message).toMatch(/malformed kubeconfig/);
    expect(audit.notFound).toEqual([]);
    expect(audit.certificates).toHaveLength(16);
  });

  it('describes each certificate: key, signature algorithm, CA or leaf, SANs', () => {
    const api = cert(`${PKI}/apiserver.crt`);
    expect(api).toMatchObject({ subject: 'CN=kube-apiserver', issuer: 'CN=kubernetes', ca: false, selfSigned: false, keyType: 'rsa', keyBits: 2048 });
    expect(api.signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption' });
    expect(api.sans).toEqual([
      'DNS:master', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local', 'IP Address:10.96.0.1',
    ]);
    expect(api.daysLeft).toBe(364);
    expect(api.serial).toMatch(/^[0-9A-F]+$/i);
    expect(Date.parse(api.notAfter) - Date.parse(api.notBefore)).toBe(365 * 86_400_000);

    expect(cert(`${PKI}/ca.crt`)).toMatchObject({ ca: true, selfSigned: true });
    expect(cert(`${PKI}/etcd/server.crt`)).toMatchObject({
      origin: 'etcd', keyType: 'ec', curve: 'prime256v1', signatureAlgorithm: { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256' },
    });
    expect(cert(`${PKI}/etcd/server.crt`).keyBits).toBeUndefined();
    expect(cert(`${PKI}/sha1.crt`).signatureAlgorithm).toEqual({ oid: '1.2.840.113549.1.1.5', name: 'sha1WithRSAEncryption' });
    expect(cert(`${PKI}/weak-rsa.crt`).keyBits).toBe(1024);
    expect(cert(`${PKI}/apiserver-kubelet-client.crt`).daysLeft).toBeLessThan(0);
  });

  it('finds the kubelet certificates, including the client certificate in the cert+key pem', () => {
    expect(cert('var/lib/kubelet/pki/kubelet-client-current.pem')).toMatchObject({
      origin: 'kubelet', subject: 'O=system:nodes, CN=system:node:node-1', issuer: 'CN=kubernetes',
    });
    expect(cert('var/lib/kubelet/pki/kubelet.crt')).toMatchObject({ origin: 'kubelet', selfSigned: true });
    const keys = discoverPki(node.root).keys.map((k) => k.file);
    expect(keys).toContain('var/lib/kubelet/pki/kubelet-client-current.pem');
    expect(keys).toContain('var/lib/kubelet/pki/kubelet.key');
  });

  it('decodes the certificates embedded in kubeconfigs, naming the user or cluster', () => {
    const inConf = audit.certificates.filter((c) => c.file === 'etc/kubernetes/admin.conf');
    expect(inConf.map((c) => [c.kubeconfig, c.subject, c.ca])).toEqual([
      [{ kind: 'user', name: 'kubernetes-admin', field: 'client-certificate-data' }, 'O=kubeadm:cluster-admins, CN=kubernetes-admin', false],
      [{ kind: 'cluster', name: 'kubernetes', field: 'certificate-authority-data' }, 'CN=kubernetes', true],
    ]);
  });

  it('gives the rows of kubeadm certs check-expiration', () => {
    const rows = audit.expiration.certificates.map((r) => [r.certificate, r.residualTime, r.certificateAuthority, r.externallyManaged]);
    expect(rows).toEqual([
      ['admin.conf', '364d', 'ca', 'no'],
      ['apiserver', '364d', 'ca', 'no'],
      ['apiserver-kubelet-client', '<invalid>', 'ca', 'no'],
      ['etcd-server', '364d', 'etcd-ca', 'no'],
      ['front-proxy-client', '9d', 'front-proxy-ca', 'no'],
    ]);
    expect(audit.expiration.certificates.find((r) => r.certificate === 'apiserver-kubelet-client')?.expires).toBe('Jan 01, 2021 00:00 UTC');
    expect(audit.expiration.certificates[1]?.expires).toMatch(/^[A-Z][a-z]{2} \d\d, \d{4} \d\d:\d\d UTC$/);
    expect(audit.expiration.authorities.map((r) => [r.certificateAuthority, r.residualTime, r.externallyManaged, r.file])).toEqual([
      ['ca', '9y', 'no', `${PKI}/ca.crt`],
      ['etcd-ca', '9y', 'no', `${PKI}/etcd/ca.crt`],
      ['front-proxy-ca', '9y', 'no', `${PKI}/front-proxy-ca.crt`],
    ]);
    expect(audit.expiration.missing).toEqual(['apiserver-etcd-client', 'controller-manager.conf', 'etcd-healthcheck-client', 'etcd-peer', 'scheduler.conf']);
  });

  it('takes its clock and thresholds from options', () => {
    const later = auditPki(node.root, { now: new Date(Date.now() + 400 * 86_400_000) });
    const expired = later.findings.filter((f) => f.id === 'pki.expired').map((f) => f.file);
    expect(expired).toContain(`${PKI}/apiserver.crt`);
    expect(expired).toContain('etc/kubernetes/admin.conf');
    const lax = auditPki(node.root, { maxLeafYears: 3, maxCaYears: 25, expiringDays: 5 });
    expect(lax.findings.map((f) => f.id)).not.toContain('pki.leaf-long-validity');
    expect(lax.findings.map((f) => f.id)).not.toContain('pki.ca-long-validity');
    expect(lax.findings.map((f) => f.id)).not.toContain('pki.expiring');
  });
});

describe('auditPki on other roots', () => {
  it('warns when the API server certificate lacks the in-cluster SANs, and reports absent directories as not found', () => {
    const a = auditPki(bare.root);
    expect(a.findings).toEqual([
      {
        id: 'pki.apiserver-sans',
        severity: 'warn',
        file: `${PKI}/apiserver.crt`,
        subject: 'CN=kube-apiserver',
        message: 'CN=kube-apiserver: API server certificate lacks SAN(s) kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.cluster.local',
      },
    ]);
    expect(a.notFound).toEqual([`${PKI}/etcd`, 'var/lib/kubelet/pki']);
    expect(a.problems).toEqual([]);
    expect(a.expiration.authorities.map((r) => r.certificateAuthority)).toEqual(['ca']);
  });

  it('treats a root without any PKI as not found, not as an error', () => {
    const a = auditPki(join(tmpdir(), 'kubeladder-pki-does-not-exist'));
    expect(a.notFound).toEqual([PKI, `${PKI}/etcd`, 'var/lib/kubelet/pki', 'etc/kubernetes']);
    expect([a.certificates, a.findings, a.problems]).toEqual([[], [], []]);
  });

  it('reports an unreadable file (a dangling link) as one problem', () => {
    const root = mkdtempSync(join(tmpdir(), 'kubeladder-pki-dangling-'));
    try {
      mkdirSync(join(root, PKI), { recursive: true });
      symlinkSync(join(root, 'nowhere.crt'), join(root, PKI, 'gone.crt'));
      const d = discoverPki(root);
      expect(d.problems).toHaveLength(1);
      expect(d.problems[0]).toMatchObject({ file: `${PKI}/gone.crt` });
      expect(d.problems[0]?.message).toMatch(/^unreadable: .*ENOENT/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('parseSans', () => {
  it('splits Node subjectAltName strings', () => {
    expect(parseSans('DNS:a, DNS:b.c, IP Address:10.0.0.1')).toEqual(['DNS:a', 'DNS:b.c', 'IP Address:10.0.0.1']);
    expect(parseSans(undefined)).toEqual([]);
  });
});
