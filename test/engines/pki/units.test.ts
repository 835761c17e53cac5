import { describe, expect, it } from 'vitest';
import { decodeOid, signatureAlgorithmOid, weakSignatureHash } from '../../../src/engines/pki/der.js';
import { kubeadmDate, shortHumanDuration } from '../../../src/engines/pki/expiration.js';
import { kubeconfigCertData } from '../../../src/engines/pki/kubeconfig.js';

describe('der', () => {
  it('decodes OIDs', () => {
    expect(decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]))).toBe('1.2.840.113549.1.1.11');
    expect(decodeOid(Uint8Array.from([0x2b, 0x65, 0x70]))).toBe('1.3.101.112');
  });

  it('reads the outer signatureAlgorithm and rejects what is not a certificate', () => {
    // SEQUENCE { SEQUENCE {} , SEQUENCE { OID 1.3.101.112 }, BIT STRING }
    const der = Uint8Array.from([0x30, 0x0b, 0x30, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x00]);
    expect(signatureAlgorithmOid(der)).toBe('1.3.101.112');
    expect(() => signatureAlgorithmOid(Uint8Array.from([0x02, 0x01, 0x00]))).toThrow(/not a SEQUENCE/);
    expect(() => signatureAlgorithmOid(Uint8Array.from([0x30, 0x10, 0x30]))).toThrow(/truncated/);
  });

  it('tells broken signature hashes', () => {
    expect(weakSignatureHash('sha1WithRSAEncryption')).toBe('SHA-1');
    expect(weakSignatureHash('ecdsa-with-SHA1')).toBe('SHA-1');
    expect(weakSignatureHash('md5WithRSAEncryption')).toBe('MD5');
    expect(weakSignatureHash('sha256WithRSAEncryption')).toBeUndefined();
    expect(weakSignatureHash('ED25519')).toBeUndefined();
  });
});

describe('expiration formatting', () => {
  it('prints durations like apimachinery ShortHumanDuration', () => {
    const s = 1000;
    expect(shortHumanDuration(-5 * s)).toBe('<invalid>');
    expect(shortHumanDuration(-500)).toBe('0s');
    expect(shortHumanDuration(42 * s)).toBe('42s');
    expect(shortHumanDuration(5 * 60 * s)).toBe('5m');
    expect(shortHumanDuration(3 * 3600 * s)).toBe('3h');
    expect(shortHumanDuration(364 * 86400 * s)).toBe('364d');
    expect(shortHumanDuration(3650 * 86400 * s)).toBe('10y');
  });

  it('prints dates like kubeadm', () => {
    expect(kubeadmDate(new Date('2020-12-30T23:36:59Z'))).toBe('Dec 30, 2020 23:36 UTC');
  });
});

describe('kubeconfigCertData', () => {
  it('names users and clusters whose data is not base64', () => {
    const r = kubeconfigCertData('users:\n- name: bob\n  user:\n    client-certificate-data: "not base64!"\nclusters: []\n');
    expect(r).toEqual({ data: [], errors: ['user bob: client-certificate-data is not base64'] });
  });
});
