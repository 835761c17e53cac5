/**
 * Just enough DER to read a certificate's outer signatureAlgorithm: node:crypto's
 * X509Certificate parses certificates but does not expose how they were signed, and that is
 * what tells a SHA-1 or MD5 signature apart. No general ASN.1 here, on purpose.
 */

interface Tlv {
  tag: number;
  /** Offset of the value's first byte. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  if (at + 2 > der.length) throw new Error('DER: truncated');
  const tag = der[at]!;
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > der.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > der.length) throw new Error('DER: truncated');
  return { tag, start, end };
}

/** Dotted form of an OBJECT IDENTIFIER's content bytes. */
export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new Error('DER: empty OID');
  const arcs: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

const SEQUENCE = 0x30;
const OID = 0x06;

/** OID of Certificate.signatureAlgorithm (the outer one, not the TBS copy). Throws on malformed DER. */
export function signatureAlgorithmOid(der: Uint8Array): string {
  const cert = readTlv(der, 0);
  if (cert.tag !== SEQUENCE) throw new Error('DER: certificate is not a SEQUENCE');
  const tbs = readTlv(der, cert.start);
  const algId = readTlv(der, tbs.end);
  if (algId.tag !== SEQUENCE) throw new Error('DER: signatureAlgorithm is not a SEQUENCE');
  const oid = readTlv(der, algId.start);
  if (oid.tag !== OID) throw new Error('DER: signatureAlgorithm has no OID');
  return decodeOid(der.subarray(oid.start, oid.end));
}

/** Names of the signature algorithms seen on Kubernetes nodes (OpenSSL's spelling). */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** The hash a signature algorithm uses when it is a broken one (MD2, MD5, SHA-1), else undefined. */
export function weakSignatureHash(name: string): 'MD2' | 'MD5' | 'SHA-1' | undefined {
  const n = name.toLowerCase();
  if (n.startsWith('md2')) return 'MD2';
  if (n.startsWith('md5')) return 'MD5';
  if (n.startsWith('sha1') || n.endsWith('sha1')) return 'SHA-1';
  return undefined;
}
