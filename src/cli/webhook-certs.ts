/**
 * `kubeladder generate webhook-certs`: a self-signed CA and a serving certificate it signs, for
 * the admission webhook's Service (`SERVICE.NAMESPACE.svc` and `.svc.cluster.local`), ECDSA P-256.
 *
 * Node's crypto makes the keys and the signatures but cannot build a certificate, so the
 * certificate's DER is written here: a TBSCertificate is a short, fixed structure (RFC 5280), and
 * every one made is checked by parsing it back with X509Certificate and verifying its signature
 * before anything is written. That spares a dependency (and a global Reflect polyfill) for about a
 * hundred lines. The CA's private key is never written: nothing can sign another certificate with
 * it, and rotating means generating a new pair and updating the caBundle with it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Io } from './io.js';
import { DNS_LABEL } from './manifest-text.js';

// ---- DER, just what a certificate needs (X.690) ----

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
/** A BIT STRING of whole bytes (no unused bits). */
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
/** Context-specific, constructed (EXPLICIT) tag [n]. */
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);

/** A non-negative INTEGER from big-endian bytes: minimal, with a 0 byte where the top bit is set. */
function uint(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2025-01-02T03:04:05.678Z
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const name = (cn: string): Buffer => seq(set(seq(oid(OID.organization), utf8('kubeladder'))), set(seq(oid(OID.commonName), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** KeyUsage bits, numbered as in RFC 5280 (digitalSignature 0, keyCertSign 5, cRLSign 6), as a DER BIT STRING. */
function keyUsage(...bitNumbers: number[]): Buffer {
  let byte = 0;
  for (const n of bitNumbers) byte |= 0x80 >> n;
  // DER: the trailing zero bits of a named bit list are dropped and counted as unused.
  let unused = 0;
  while (unused < 8 && !(byte & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, byte]));
}

/** The IPv4 or IPv6 address as bytes, for an iPAddress SAN. */
export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6 || ip.includes('%')) throw new UsageError(`--ip: "${ip}" is not an IP address`);
  // A trailing dotted quad (::ffff:10.0.0.1) is two more 16-bit words.
  const text = ip.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`,
  );
  const words = (s: string): number[] => (s === '' ? [] : s.split(':').map((w) => parseInt(w, 16)));
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const h = words(head);
  const r = rest === undefined ? [] : words(rest);
  const all = rest === undefined ? h : [...h, ...new Array<number>(8 - h.length - r.length).fill(0), ...r];
  const out = Buffer.alloc(16);
  all.slice(0, 8).forEach((w, i) => out.writeUInt16BE(w, i * 2));
  return out;
}

/** The key identifier: SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2, method 1). */
function keyId(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For P-256 the BIT STRING is the last 66 bytes: tag, length 0x42, no unused bits, 65-byte point.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  dns?: string[];
  ips?: string[];
}

function certificate(s: CertSpec): string {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  serial[0]! |= 0x01; // positive, 16 bytes, never zero
  const exts = s.ca
    ? [extension(OID.basicConstraints, true, seq(bool(true))), extension(OID.keyUsage, true, keyUsage(5, 6)), extension(OID.subjectKeyIdentifier, false, octets(keyId(s.publicKey)))]
    : [
        extension(OID.basicConstraints, true, seq()),
        extension(OID.keyUsage, true, keyUsage(0)),
        extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
        extension(OID.subjectAltName, false, seq(...(s.dns ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...(s.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip))))),
        extension(OID.subjectKeyIdentifier, false, octets(keyId(s.publicKey))),
        extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, keyId(s.issuerKey)))),
      ];
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))), // v3
    uint(serial),
    algorithm,
    name(s.issuer),
    seq(time(s.notBefore), time(s.notAfter)),
    name(s.subject),
    s.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, { key: s.signingKey, dsaEncoding: 'der' });
  const der = seq(tbs, algorithm, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

export interface WebhookCertsOptions {
  namespace: string;
  service: string;
  days: number;
  ips: string[];
  /** Now, for tests. */
  now?: Date;
}

export interface WebhookCerts {
  caCert: string;
  cert: string;
  /** PKCS#8 PEM. */
  key: string;
  dnsNames: string[];
}

/** The DNS names the API server may call the Service by. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [`${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

export function webhookCerts(opts: WebhookCertsOptions): WebhookCerts {
  const now = opts.now ?? new Date();
  // Five minutes back, for clocks a little behind ours.
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + opts.days * 86_400_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = `kubeladder webhook CA (${opts.service}.${opts.namespace})`;
  const caCert = certificate({ subject: caName, issuer: caName, publicKey: ca.publicKey, signingKey: ca.privateKey, issuerKey: ca.publicKey, notBefore, notAfter, ca: true });
  const dnsNames = serviceDnsNames(opts.service, opts.namespace);
  const cert = certificate({
    subject: dnsNames[0]!,
    issuer: caName,
    publicKey: leaf.publicKey,
    signingKey: ca.privateKey,
    issuerKey: ca.publicKey,
    notBefore,
    notAfter,
    ca: false,
    dns: dnsNames,
    ips: opts.ips,
  });
  // Parse both back and check the chain before anything is written.
  const caX = new X509Certificate(caCert);
  const leafX = new X509Certificate(cert);
  if (!caX.ca || !caX.verify(ca.publicKey) || !leafX.verify(caX.publicKey) || !leafX.checkIssued(caX) || leafX.checkHost(dnsNames[0]!) === undefined) {
    throw new Error('generate webhook-certs: the certificates made do not verify (a kubeladder bug)');
  }
  return { caCert, cert, key: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), dnsNames };
}

export function parseDays(raw: string): number {
  const days = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError(`--days: "${raw}" is not a whole number of days from 1 to 3650`);
  return days;
}

export function webhookCertsCommand(io: Io, done: (code: number) => void): Command {
  return new Command('webhook-certs')
    .summary("a CA and a serving certificate for the admission webhook's Service (ECDSA P-256)")
    .description(
      "Write a self-signed CA (ca.crt) and a serving certificate it signed (tls.crt, tls.key, the key mode 0600) for the admission webhook's Service, valid for SERVICE.NAMESPACE.svc and SERVICE.NAMESPACE.svc.cluster.local (and each --ip). ECDSA P-256. The CA's key is not kept: to rotate, generate a new set and regenerate the webhook manifests (`kubeladder generate webhook --certs DIR`), whose caBundle comes from ca.crt. See docs/webhook.md.",
    )
    .requiredOption('--out-dir <dir>', 'directory to write ca.crt, tls.crt and tls.key into (created if missing)')
    .option('-n, --namespace <ns>', "the webhook's namespace", 'kubeladder-webhook')
    .option('--service <name>', "the webhook's Service", 'kubeladder-webhook')
    .option('--days <n>', 'days the certificates are valid', '365')
    .option('--ip <address>', 'an IP address to add as a subject alternative name, for local testing (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .action((raw: { outDir: string; namespace: string; service: string; days: string; ip?: string[] }) => {
      if (!DNS_LABEL.test(raw.namespace)) throw new UsageError(`--namespace: "${raw.namespace}" is not a namespace name (lower-case letters, digits and -, at most 63)`);
      if (!DNS_LABEL.test(raw.service)) throw new UsageError(`--service: "${raw.service}" is not a Service name (lower-case letters, digits and -, at most 63)`);
      const days = parseDays(raw.days);
      const ips = raw.ip ?? [];
      for (const ip of ips) ipBytes(ip);
      const certs = webhookCerts({ namespace: raw.namespace, service: raw.service, days, ips });
      const dir = resolve(io.cwd, raw.outDir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'ca.crt'), certs.caCert);
      writeFileSync(join(dir, 'tls.crt'), certs.cert);
      const keyFile = join(dir, 'tls.key');
      writeFileSync(keyFile, certs.key, { mode: 0o600 });
      // The mode above only applies to a new file: an existing tls.key keeps its own otherwise.
      chmodSync(keyFile, 0o600);
      io.stderr.write(`generate webhook-certs: wrote ca.crt, tls.crt and tls.key (0600) to ${raw.outDir} for ${[...certs.dnsNames, ...ips].join(', ')}, valid ${days} days\n`);
      done(0);
    });
}
