/**
 * Audits the certificates and keys `discoverPki` found: one description per certificate
 * (subject, validity, key, signature algorithm, SANs), findings for what is wrong with them,
 * and rows shaped like `kubeadm certs check-expiration`, all as data for a reporter to print.
 */
import type { X509Certificate } from 'node:crypto';
import { posix } from 'node:path';
import { SIGNATURE_ALGORITHMS, signatureAlgorithmOid, weakSignatureHash } from './der.js';
import { discoverPki, type DiscoveredCert, type PkiDiscovery, type PkiProblem } from './discover.js';
import { expirationRows, type ExpirationReport } from './expiration.js';

export type PkiSeverity = 'fail' | 'warn' | 'note';

export type PkiFindingId =
  | 'pki.expired'
  | 'pki.expiring'
  | 'pki.weak-rsa-key'
  | 'pki.weak-signature'
  | 'pki.ca-long-validity'
  | 'pki.leaf-long-validity'
  | 'pki.apiserver-sans'
  | 'pki.key-permissions'
  | 'pki.issuer-mismatch';

export interface PkiFinding {
  id: PkiFindingId;
  severity: PkiSeverity;
  /** File relative to the root. */
  file: string;
  /** Subject of the certificate concerned (absent for key files). */
  subject?: string;
  message: string;
}

export interface CertificateInfo {
  file: string;
  origin: DiscoveredCert['origin'];
  index: number;
  kubeconfig?: DiscoveredCert['kubeconfig'];
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  ca: boolean;
  selfSigned: boolean;
  keyType: string;
  /** RSA modulus length. */
  keyBits?: number;
  /** EC named curve. */
  curve?: string;
  signatureAlgorithm: { oid: string; name: string };
  sans: string[];
}

export interface PkiAuditOptions {
  /** Defaults to the current time. */
  now?: Date;
  /** Warn when a certificate expires within this many days (30). */
  expiringDays?: number;
  /** Warn when a CA is valid for longer than this many years (10, kubeadm's CA default). */
  maxCaYears?: number;
  /** Note when a leaf is valid for longer than this many years (1, kubeadm's default). */
  maxLeafYears?: number;
}

export interface PkiAudit {
  root: string;
  certificates: CertificateInfo[];
  findings: PkiFinding[];
  problems: PkiProblem[];
  notFound: string[];
  expiration: ExpirationReport;
}

/** SANs the API server's certificate must carry for in-cluster clients. */
export const APISERVER_SANS = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

const DAY = 86_400_000;
/** Slack for validity periods: kubeadm backdates notBefore a little, and years are not all equal. */
const LIFETIME_SLACK = DAY;

/** `DNS:a, IP Address:1.2.3.4` -> `['DNS:a', 'IP Address:1.2.3.4']`. */
export function parseSans(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*(?=[A-Za-z][A-Za-z ]*:)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

export function describeCertificate(found: DiscoveredCert, now: Date): CertificateInfo {
  const c = found.cert;
  const notBefore = new Date(c.validFrom);
  const notAfter = new Date(c.validTo);
  let oid = '';
  try {
    oid = signatureAlgorithmOid(c.raw);
  } catch {
    oid = '';
  }
  const key = c.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  return {
    file: found.file,
    origin: found.origin,
    index: found.index,
    ...(found.kubeconfig ? { kubeconfig: found.kubeconfig } : {}),
    subject: oneLine(c.subject),
    issuer: oneLine(c.issuer),
    serial: c.serialNumber,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY),
    ca: c.ca,
    selfSigned: c.subject === c.issuer,
    keyType: key.asymmetricKeyType ?? 'unknown',
    ...(details.modulusLength !== undefined ? { keyBits: details.modulusLength } : {}),
    ...(details.namedCurve !== undefined ? { curve: details.namedCurve } : {}),
    signatureAlgorithm: { oid, name: SIGNATURE_ALGORITHMS[oid] ?? (oid || 'unknown') },
    sans: parseSans(c.subjectAltName),
  };
}

function certLabel(found: DiscoveredCert): string {
  return found.kubeconfig ? `${found.kubeconfig.kind} ${found.kubeconfig.name}` : found.index > 0 ? `certificate #${found.index}` : '';
}

/** Audits the PKI under `root`, or an earlier discovery of it. */
export function auditPki(rootOrDiscovery: string | PkiDiscovery, options: PkiAuditOptions = {}): PkiAudit {
  const d = typeof rootOrDiscovery === 'string' ? discoverPki(rootOrDiscovery) : rootOrDiscovery;
  const now = options.now ?? new Date();
  const expiringDays = options.expiringDays ?? 30;
  const maxCaYears = options.maxCaYears ?? 10;
  const maxLeafYears = options.maxLeafYears ?? 1;
  const findings: PkiFinding[] = [];
  const certificates: CertificateInfo[] = [];

  for (const found of d.certs) {
    const info = describeCertificate(found, now);
    certificates.push(info);
    const label = certLabel(found);
    const what = label ? `${label} (${info.subject})` : info.subject;
    const add = (id: PkiFindingId, severity: PkiSeverity, msg: string) =>
      findings.push({ id, severity, file: found.file, subject: info.subject, message: `${what}: ${msg}` });

    const notAfter = new Date(info.notAfter);
    const notBefore = new Date(info.notBefore);
    if (notAfter.getTime() <= now.getTime()) add('pki.expired', 'fail', `expired on ${info.notAfter}`);
    else if (notAfter.getTime() - now.getTime() <= expiringDays * DAY)
      add('pki.expiring', 'warn', `expires on ${info.notAfter}, in ${info.daysLeft} day(s)`);

    if ((info.keyType === 'rsa' || info.keyType === 'rsa-pss') && info.keyBits !== undefined && info.keyBits < 2048)
      add('pki.weak-rsa-key', 'fail', `RSA key of ${info.keyBits} bits (2048 at least)`);

    const weak = weakSignatureHash(info.signatureAlgorithm.name);
    if (weak) add('pki.weak-signature', 'fail', `signed with ${weak} (${info.signatureAlgorithm.name})`);

    const maxYears = info.ca ? maxCaYears : maxLeafYears;
    if (notAfter.getTime() > addYears(notBefore, maxYears).getTime() + LIFETIME_SLACK) {
      const years = ((notAfter.getTime() - notBefore.getTime()) / (365.25 * DAY)).toFixed(1);
      if (info.ca) add('pki.ca-long-validity', 'warn', `CA valid for ${years} years (more than ${maxCaYears})`);
      else add('pki.leaf-long-validity', 'note', `valid for ${years} years, beyond kubeadm's ${maxLeafYears}-year default`);
    }

    if (found.file === 'etc/kubernetes/pki/apiserver.crt' && found.index === 0) {
      const dns = new Set(info.sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase()));
      const missing = APISERVER_SANS.filter((s) => !dns.has(s));
      if (missing.length) add('pki.apiserver-sans', 'warn', `API server certificate lacks SAN(s) ${missing.join(', ')}`);
    }
  }

  findings.push(...issuerMismatches(d.certs));

  for (const key of d.keys) {
    if (key.mode & 0o044)
      findings.push({
        id: 'pki.key-permissions',
        severity: 'fail',
        file: key.file,
        message: `private key readable by ${key.mode & 0o004 ? 'others' : 'group'} (mode 0${key.mode.toString(8).padStart(3, '0')})`,
      });
  }

  return {
    root: d.root,
    certificates,
    findings,
    problems: d.problems,
    notFound: d.notFound,
    expiration: expirationRows(d, now),
  };
}

/** Certificates whose issuer, a CA in the same directory with the issuer's name, does not verify their signature. */
function issuerMismatches(certs: DiscoveredCert[]): PkiFinding[] {
  const byDir = new Map<string, DiscoveredCert[]>();
  for (const c of certs) {
    const dir = posix.dirname(c.file);
    const list = byDir.get(dir) ?? [];
    list.push(c);
    byDir.set(dir, list);
  }
  const out: PkiFinding[] = [];
  for (const c of certs) {
    if (c.cert.subject === c.cert.issuer) continue;
    const cas = (byDir.get(posix.dirname(c.file)) ?? []).filter((o) => o !== c && o.cert.ca && o.cert.subject === c.cert.issuer);
    if (cas.length === 0) continue;
    if (cas.some((ca) => verifies(c.cert, ca.cert))) continue;
    const label = certLabel(c);
    const subject = oneLine(c.cert.subject);
    out.push({
      id: 'pki.issuer-mismatch',
      severity: 'fail',
      file: c.file,
      subject,
      message: `${label ? `${label} (${subject})` : subject}: not signed by its issuer ${oneLine(c.cert.issuer)} in ${[...new Set(cas.map((ca) => ca.file))].join(', ')}`,
    });
  }
  return out;
}

function verifies(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}
