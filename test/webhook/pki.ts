/** A throwaway CA and serving certificates (IP SAN 127.0.0.1), made with the openssl CLI. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (args: string[], cwd: string): string => execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export interface Ca {
  dir: string;
  certFile: string;
  keyFile: string;
  pem: string;
}

export function makeCa(dir: string): Ca {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubeladder-test-ca'], dir);
  return { dir, certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key'), pem: readFileSync(join(dir, 'ca.crt'), 'utf8') };
}

/** A serving certificate for 127.0.0.1 with the given serial (hex), as PEM cert and key. */
export function makeServing(ca: Ca, serialHex: string, name = 'serving'): { cert: string; key: string } {
  const ext = join(ca.dir, `${name}.ext`);
  writeFileSync(ext, 'subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth\nkeyUsage = digitalSignature, keyEncipherment\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1'], ca.dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${serialHex}`, '-days', '2', '-out', `${name}.crt`, '-extfile', ext], ca.dir);
  return { cert: readFileSync(join(ca.dir, `${name}.crt`), 'utf8'), key: readFileSync(join(ca.dir, `${name}.key`), 'utf8') };
}
